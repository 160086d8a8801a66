import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../core/package-root';
import { SesSmtpRotationError } from '../core/errors';
import { EXIT, EXIT_CODES, type CommandInfo } from './command';
import { COMMANDS } from './command-table';
import { println, processIo, type Io } from './io';
import { AwsCallError, UsageError } from './errors';

function toolHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: ses-smtp-rotation <command> [options]',
    '',
    'Rotates Amazon SES SMTP credentials across a fleet of mail relays with zero email downtime.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run `ses-smtp-rotation <command> --help` for a command's options.",
    'Exit codes: 0 ok, 1 problem found or operation failed, 2 usage error, 130 interrupted (Ctrl-C).',
    'With --json, stdout holds exactly one JSON document, also on errors: {"error": {"kind", "message"}, …}.',
  ].join('\n');
}

/** The `error` object of a JSON error document. */
export interface JsonError {
  /** usage: wrong flags or arguments (exit 2); aws: an AWS call failed; failure: anything else (exit 1). */
  readonly kind: 'usage' | 'aws' | 'failure';
  readonly message: string;
}

/**
 * Runs the tool with the given arguments and returns the exit code (0 ok, 1 problem or failure, 2 usage, 130
 * interrupted; anything else a command returns becomes 1). Errors are printed as one line on stderr; with `--json`
 * stdout also gets one JSON document: the command's documented keys set to null and `error: {kind, message}`.
 */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...args] = argv;
  const json = argv.includes('--json');
  const fail = (command: CommandInfo | undefined, error: JsonError, text: string): number => {
    println(io.stderr, text);
    if (json) println(io.stdout, JSON.stringify(errorDocument(command, error), null, 2));
    return error.kind === 'usage' ? EXIT.usage : EXIT.failure;
  };
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    if (name !== undefined) {
      println(io.stdout, toolHelp());
      return EXIT.ok;
    }
    return fail(undefined, { kind: 'usage', message: 'no command given' }, toolHelp());
  }
  if (name === '--version') {
    println(io.stdout, version());
    return EXIT.ok;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    const message = `unknown command "${name.slice(0, 40)}"`;
    return fail(undefined, { kind: 'usage', message }, `error: ${message}\n\n${toolHelp()}`);
  }
  const command = await entry.load();
  if (args.includes('--help') || args.includes('-h')) {
    println(io.stdout, command.help);
    return EXIT.ok;
  }
  let code: number;
  try {
    code = await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      return fail(
        entry,
        { kind: 'usage', message: error.message },
        `error: ${error.message}\n\nRun \`ses-smtp-rotation ${entry.name} --help\` for usage.`,
      );
    }
    const kind = error instanceof AwsCallError ? 'aws' : 'failure';
    const message =
      error instanceof SesSmtpRotationError
        ? error.message
        : `${(error as Error).name ?? 'Error'}: ${(error as Error).message}`;
    return fail(entry, { kind, message }, `error: ${message}`);
  }
  if (!EXIT_CODES.includes(code)) {
    println(io.stderr, `error: ${entry.name} ended with exit code ${code}, outside the convention; reporting 1`);
    return EXIT.failure;
  }
  return code;
}

/** The JSON printed when a command could not print its own document. */
export function errorDocument(command: CommandInfo | undefined, error: JsonError): Record<string, unknown> {
  const fields = Object.fromEntries((command?.jsonFields ?? []).map((key) => [key, null]));
  return { ...fields, error };
}

function version(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
