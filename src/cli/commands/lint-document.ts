import { readFileSync } from 'node:fs';
import { formatOfFileName, lintDocumentText } from '../../documents/lint';
import { RULES, type Problem } from '../../documents/rules';
import { EXIT, parseFlags, type CommandBody } from '../command';
import { println, type Io } from '../io';
import { UsageError } from '../errors';
import { plural } from '../format';

const width = Math.max(...RULES.map((r) => r.id.length));
const HELP = `Usage: ses-smtp-rotation lint-document <file>... [--json]

Checks that a (customized) SSM Command document keeps the guarantees the rotation relies on.
Documents may be JSON or YAML (as SSM accepts both): .yaml/.yml files are read as YAML, .json as
JSON, others by their content. Each problem is printed as <file>:<line>: <rule>: <message>.

Rules:
${RULES.map((r) => `  ${r.id.padEnd(width)}  ${r.text}`).join('\n')}

Options:
  --json      print one JSON document, always (also on errors):
              {"ok", "error", "files": [{"file", "ok", "error", "problems": [{"rule", "line", "message"}]}]}
  -h, --help  show this help

Exit codes: 0 no problem, 1 problems found or a file unreadable, 2 usage error.`;

/** The result for one file: its problems, or why it could not be read. */
interface FileResult {
  readonly file: string;
  readonly ok: boolean;
  readonly error: string | null;
  readonly problems: Problem[];
}

/** `lint-document`: check document files against the rotation's guarantees. */
export const lintDocumentCommand: CommandBody = {
  help: HELP,
  async run(args: string[], io: Io): Promise<number> {
    // A usage error is thrown to main, which prints it as this command's JSON document (jsonFields) under --json.
    const { values, positionals } = parseFlags(args, { json: { type: 'boolean', default: false } }, true);
    if (positionals.length === 0) {
      throw new UsageError('give the document file to check, e.g. lint-document my-document.json');
    }
    const json = values.json === true;
    const files = positionals;
    const results = files.map(lintFile);
    const ok = results.every((r) => r.ok);
    if (json) {
      println(io.stdout, JSON.stringify({ ok, error: null, files: results }, null, 2));
      return ok ? EXIT.ok : EXIT.failure;
    }
    for (const { file, error, problems } of results) {
      if (error !== null) println(io.stderr, `error: ${file}: ${error}`);
      for (const p of problems) println(io.stdout, `${file}:${p.line}: ${p.rule}: ${p.message}`);
      if (error === null && problems.length === 0) println(io.stdout, `${file}: ok`);
    }
    const count = results.reduce((n, r) => n + r.problems.length, 0);
    const unreadable = results.filter((r) => r.error !== null).length;
    const summary = [
      count > 0 ? `${plural(count, 'problem')} found` : '',
      unreadable > 0 ? `${plural(unreadable, 'file')} not checked` : '',
    ].filter((s) => s !== '');
    if (summary.length > 0) println(io.stderr, summary.join(', '));
    return ok ? EXIT.ok : EXIT.failure;
  },
};

function lintFile(file: string): FileResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return { file, ok: false, error: `cannot read the file (${code}): check the path and permissions`, problems: [] };
  }
  try {
    const problems = lintDocumentText(text, formatOfFileName(file));
    return { file, ok: problems.length === 0, error: null, problems };
  } catch (error) {
    // Not expected (every reader error is a parse problem), but --json must still print one document.
    return { file, ok: false, error: `could not be checked: ${(error as Error).name}`, problems: [] };
  }
}
