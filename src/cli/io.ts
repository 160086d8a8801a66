import type { Readable, Writable } from 'node:stream';

/** The streams a command talks to; injected so commands run in-process in tests. */
export interface Io {
  readonly stdin: Readable & { isTTY?: boolean };
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Environment variables (AWS_REGION, AWS_PROFILE, …). */
  readonly env: NodeJS.ProcessEnv;
}

/** The real process streams. */
export const processIo: Io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };

/** Writes one line to a stream. */
export function println(stream: Writable, line = ''): void {
  stream.write(`${line}\n`);
}

/** Reads standard input to its end, as UTF-8 text. */
export async function readAll(stdin: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
