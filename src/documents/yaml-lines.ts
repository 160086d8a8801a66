import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Document, type Node } from 'yaml';
import { YamlSyntaxError } from './errors';
import type { JsonEntry, JsonNode } from './json-lines';

/**
 * Reads a YAML document (SSM accepts `DocumentFormat: YAML`) into the same line-annotated tree as the JSON reader,
 * so every lint rule reads both formats alike and points at lines of the file. Uses the maintained `yaml` package
 * (YAML 1.2 core schema, as SSM documents are written): its LineCounter turns node offsets into lines.
 */

/**
 * Parses `text` as one YAML document, keeping line numbers. Duplicate keys are an error, as in the JSON reader.
 * @throws YamlSyntaxError when the text is not exactly one valid YAML document
 */
export function parseYamlWithLines(text: string): JsonNode {
  const counter = new LineCounter();
  const document = parseDocument(text, { lineCounter: counter, uniqueKeys: true, prettyErrors: false });
  const lineAt = (offset: number): number => Math.max(1, counter.linePos(offset).line);
  const [error] = document.errors;
  if (error) {
    // The library's message, first line only: enough to name the problem (its pretty form quotes the source).
    throw new YamlSyntaxError(lineAt(error.pos[0]), (error.message.split('\n')[0] ?? '').slice(0, 160));
  }
  if (document.contents === null) throw new YamlSyntaxError(1, 'the file holds no YAML document');
  return convert(document.contents, document, lineAt, 0);
}

function convert(node: Node, document: Document, lineAt: (offset: number) => number, depth: number): JsonNode {
  const line = lineAt(node.range?.[0] ?? 0);
  if (depth > 64) throw new YamlSyntaxError(line, 'nesting deeper than 64 levels (or an alias cycle)');
  if (isAlias(node)) {
    const target = node.resolve(document);
    if (!target) throw new YamlSyntaxError(line, 'an alias names no anchor');
    return { ...convert(target, document, lineAt, depth + 1), line };
  }
  if (isMap(node)) {
    const entries = new Map<string, JsonEntry>();
    for (const pair of node.items) {
      if (!isScalar(pair.key)) throw new YamlSyntaxError(line, 'a key is not a plain value');
      const key = String(pair.key.value);
      const keyLine = lineAt(pair.key.range?.[0] ?? 0);
      const value: JsonNode = pair.value
        ? convert(pair.value as Node, document, lineAt, depth + 1)
        : { kind: 'null', line: keyLine };
      entries.set(key, { keyLine, value });
    }
    return { kind: 'object', line, entries };
  }
  if (isSeq(node)) {
    return { kind: 'array', line, items: node.items.map((item) => convert(item as Node, document, lineAt, depth + 1)) };
  }
  if (isScalar(node)) return scalar(node, line);
  throw new YamlSyntaxError(line, 'unsupported YAML node');
}

function scalar(node: Scalar, line: number): JsonNode {
  const { value } = node;
  if (typeof value === 'string') {
    // A literal block (`|`): its content starts on the line after the indicator, one file line per text line.
    if (node.type === Scalar.BLOCK_LITERAL) {
      return { kind: 'string', line, value, lines: value.split('\n').map((_, i) => line + 1 + i) };
    }
    return { kind: 'string', line, value };
  }
  if (typeof value === 'number') return { kind: 'number', line, value };
  if (typeof value === 'boolean') return { kind: 'boolean', line, value };
  if (value === null || value === undefined) return { kind: 'null', line };
  return { kind: 'string', line, value: String(value) };
}
