import { PassThrough, Readable } from 'node:stream';
import type { Io } from '../../src/cli/io';

/** In-memory streams for running commands in-process. */
export interface FakeIo extends Io {
  out(): string;
  err(): string;
}

export function fakeIo(stdin = '', env: NodeJS.ProcessEnv = {}): FakeIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const outChunks: Buffer[] = [];
  const errChunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => outChunks.push(c));
  stderr.on('data', (c: Buffer) => errChunks.push(c));
  return {
    stdin: Readable.from([Buffer.from(stdin)]),
    stdout,
    stderr,
    env,
    out: () => Buffer.concat(outChunks).toString('utf8'),
    err: () => Buffer.concat(errChunks).toString('utf8'),
  };
}
