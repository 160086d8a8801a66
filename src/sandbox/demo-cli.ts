/** How the demo runs the real operator commands: in the sandbox, on its virtual clock, their output printed. */
import { Readable, Writable } from 'node:stream';
import type { CommandBody } from '../cli/command';
import type { RuntimeIo } from '../cli/runtime';
import type { SandboxAccount } from './account';

/** Runs `command` with `args` against the sandbox; every line it writes goes to `print`. Returns its exit code. */
export function runCliCommand(
  command: CommandBody,
  args: string[],
  account: SandboxAccount,
  print: (line: string) => void,
): Promise<number> {
  return command.run(args, cliIo(account, print));
}

/** An Io for the real CLI command inside the sandbox: its virtual clock, its fakes, output to `print`. */
function cliIo(account: SandboxAccount, print: (line: string) => void): RuntimeIo {
  const sink = () =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') print(line);
        done();
      },
    });
  return {
    stdin: Readable.from([]),
    stdout: sink(),
    stderr: sink(),
    env: {},
    runtime: { clock: account.clock },
  };
}
