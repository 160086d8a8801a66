import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SesSmtpRotationError } from '../core/errors';
import { EXIT, UsageError, type Command } from './command';
import { deriveCommand } from './commands/derive';
import { demoCommand } from './commands/demo';
import { lintDocumentCommand } from './commands/lint-document';
import { preflightCommand } from './commands/preflight';
import { retireCommand } from './commands/retire';
import { rotateCommand } from './commands/rotate';
import { statusCommand } from './commands/status';
import { println, processIo, type Io } from './io';

/** Every sub-command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [
  deriveCommand,
  lintDocumentCommand,
  demoCommand,
  rotateCommand,
  statusCommand,
  preflightCommand,
  retireCommand,
];

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
    'Exit codes: 0 ok, 1 failure, 2 usage error.',
  ].join('\n');
}

/**
 * Runs the tool with the given arguments and returns the exit code. Errors are printed as one line; a stack trace
 * only appears for unexpected errors and never contains input values.
 */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    println(name === undefined ? io.stderr : io.stdout, toolHelp());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version') {
    println(io.stdout, version());
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    println(io.stderr, `error: unknown command "${name.slice(0, 40)}"\n\n${toolHelp()}`);
    return EXIT.usage;
  }
  if (args.includes('--help') || args.includes('-h')) {
    println(io.stdout, command.help);
    return EXIT.ok;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      println(io.stderr, `error: ${error.message}\n\nRun \`ses-smtp-rotation ${command.name} --help\` for usage.`);
      return EXIT.usage;
    }
    if (error instanceof SesSmtpRotationError) {
      println(io.stderr, `error: ${error.message}`);
      return EXIT.failure;
    }
    println(io.stderr, `error: ${(error as Error).name ?? 'Error'}: ${(error as Error).message}`);
    return EXIT.failure;
  }
}

function version(): string {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
