import { readFileSync } from 'node:fs';
import { lintDocumentText, UnsupportedDocumentFormatError } from '../../documents/lint';
import { RULES, type Problem } from '../../documents/rules';
import { EXIT, parseFlags, UsageError, type Command } from '../command';
import { println, type Io } from '../io';

const width = Math.max(...Object.keys(RULES).map((r) => r.length));
const HELP = `Usage: ses-smtp-rotation lint-document <file.json>... [--json]

Checks that a (customized) SSM Command document keeps the guarantees the rotation relies on.
Each problem is printed as <file>:<line>: <rule>: <message>. Documents must be JSON (convert YAML first).

Rules:
${Object.entries(RULES)
  .map(([id, text]) => `  ${id.padEnd(width)}  ${text}`)
  .join('\n')}

Options:
  --json      print {"files": [{"file", "problems": [{"line", "rule", "message"}]}]}
  -h, --help  show this help

Exit codes: 0 no problem, 1 problems found, 2 usage error (no file, unreadable file, YAML).`;

/** `lint-document`: check a document file against the rotation's guarantees. */
export const lintDocumentCommand: Command = {
  name: 'lint-document',
  summary: 'check a customized SSM document keeps the rotation guarantees',
  help: HELP,
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseFlags(args, { json: { type: 'boolean', default: false } }, true);
    if (positionals.length === 0)
      throw new UsageError('give the document file to check, e.g. lint-document my-document.json');
    const results: { file: string; problems: Problem[] }[] = [];
    for (const file of positionals) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
      }
      try {
        results.push({ file, problems: lintDocumentText(text) });
      } catch (error) {
        if (error instanceof UnsupportedDocumentFormatError) throw new UsageError(`${file}: ${error.message}`);
        throw error;
      }
    }
    const count = results.reduce((n, r) => n + r.problems.length, 0);
    if (values.json) {
      println(io.stdout, JSON.stringify({ files: results }, null, 2));
    } else {
      for (const { file, problems } of results) {
        for (const p of problems) println(io.stdout, `${file}:${p.line}: ${p.rule}: ${p.message}`);
        if (problems.length === 0) println(io.stdout, `${file}: ok`);
      }
      if (count > 0) println(io.stderr, `${count} problem${count === 1 ? '' : 's'} found`);
    }
    return count === 0 ? EXIT.ok : EXIT.failure;
  },
};
