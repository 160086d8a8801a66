import { documentModel } from './document-model';
import { looksLikeJson, parseJsonWithLines, type JsonNode } from './json-lines';
import { RULES, type Problem } from './rules';
import { parse } from './step-rules';
import { parseYamlWithLines } from './yaml-lines';
import { DocumentSyntaxError } from './errors';

/**
 * Lints a (customized) SSM Command document, JSON or YAML, against the guarantees the rotation relies on: the
 * contract parameters, strict patterns, ENV_VAR interpolation, strict error handling, no secret in the output.
 */

/** The two formats SSM accepts for a document (`DocumentFormat`). */
export type DocumentFormat = 'json' | 'yaml';

/** The format of a file by its name: `.yaml`/`.yml` or `.json`; undefined when the name does not tell. */
export function formatOfFileName(file: string): DocumentFormat | undefined {
  if (/\.ya?ml$/i.test(file)) return 'yaml';
  if (/\.json$/i.test(file)) return 'json';
  return undefined;
}

/**
 * Returns every problem of the document text, sorted by line (then in rule order). `format` defaults to what the
 * text looks like: JSON when it starts with `{`, else YAML. A syntax error is a `parse` problem, never an exception.
 * @default format: by content
 */
export function lintDocumentText(text: string, format?: DocumentFormat): Problem[] {
  const as = format ?? (looksLikeJson(text) ? 'json' : 'yaml');
  let root: JsonNode;
  try {
    root = as === 'json' ? parseJsonWithLines(text) : parseYamlWithLines(text);
  } catch (error) {
    if (!(error instanceof DocumentSyntaxError)) throw error;
    const what = as === 'json' ? 'not valid JSON' : 'not valid YAML';
    const hint = as === 'json' && !looksLikeJson(text) ? ' (it looks like YAML: name the file .yaml or .yml)' : '';
    const message = `${what}: ${error.message.replace(/^line \d+: /, '')}${hint}`;
    return [{ rule: 'parse', line: error.line, message }];
  }
  const model = documentModel(root);
  // A document that is not an object has none of the parts the other rules read.
  const rules = root.kind === 'object' ? RULES : [parse];
  const problems = rules.flatMap((rule) => rule.check(model).map((f) => ({ rule: rule.id, ...f })));
  return problems.sort((a, b) => a.line - b.line);
}
