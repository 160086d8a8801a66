import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Io } from './io';
import { UsageError } from './errors';

/**
 * Exit codes of every command: 0 ok, 1 a problem found or the operation failed, 2 usage error; and 130 when the
 * operator interrupted a wait with Ctrl-C (the shell's convention, 128 + SIGINT). main enforces this set.
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;

/** The codes a command may return. */
export const EXIT_CODES: readonly number[] = Object.values(EXIT);

/**
 * What the tool knows of a sub-command without loading its module (command-table.ts): enough for the tool's help
 * and for the JSON error document.
 */
export interface CommandInfo {
  readonly name: string;
  /** One line for the tool's help. */
  readonly summary: string;
  /**
   * The top-level keys of the command's `--json` document. When the command fails before printing it (a usage
   * error, an unexpected error), main prints one JSON document with these keys set to null and an `error` object,
   * so `--json` always yields exactly one document with every documented key.
   */
  readonly jsonFields?: readonly string[];
}

/** What a sub-command's module exports: loaded only when the command runs or prints its help. */
export interface CommandBody {
  /** The command's full `--help` text. */
  readonly help: string;
  run(args: string[], io: Io): Promise<number>;
}

/** Parses flags strictly, turning node's parse errors into {@link UsageError}s. */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  allowPositionals = false,
  // Spelled out for the package's type declarations (node's inferred result type names an unexported interface).
): ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: boolean; strict: true }>> {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
}
