import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Io } from './io';

/** Exit codes of every command. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** A sub-command of the `ses-smtp-rotation` tool. */
export interface Command {
  readonly name: string;
  /** One line for the tool's help. */
  readonly summary: string;
  /** The command's full `--help` text. */
  readonly help: string;
  run(args: string[], io: Io): Promise<number>;
}

/** Wrong flags or arguments: the command prints the message and its usage, and exits with 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parses flags strictly, turning node's parse errors into {@link UsageError}s. */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
}
