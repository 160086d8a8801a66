/**
 * Issue 12, class 7: one exit-code convention for every command (0 ok, 1 problem or failure, 2 usage, 130
 * interrupted), enforced by main; and under --json a usage error is one JSON document on stdout.
 */
import { COMMANDS } from '../../src/cli/command-table';
import { errorDocument, main } from '../../src/cli/main';
import { SandboxAccount } from '../../src/sandbox/account';
import { fakeIo } from './fake-io';
import { rotateOnRequest, sandboxIo } from './sandbox-cli';

const NAMES = COMMANDS.map((c) => c.name);

describe('exit codes', () => {
  it.each(NAMES)('%s exits 2 for an unknown flag', async (name) => {
    const io = fakeIo();
    expect(await main([name, '--no-such-flag'], io)).toBe(2);
    expect(io.err()).toContain('error:');
  });

  it.each(NAMES)('%s prints one JSON error document for a usage error under --json', async (name) => {
    const io = fakeIo();

    const code = await main([name, '--json', '--no-such-flag'], io);

    expect(code).toBe(2);
    const doc = JSON.parse(io.out()) as { error: { kind: string; message: string } };
    expect(doc.error).toEqual({ kind: 'usage', message: expect.stringContaining('--no-such-flag') });
    const command = COMMANDS.find((c) => c.name === name)!;
    for (const field of command.jsonFields ?? []) {
      if (field !== 'error') expect(doc).toHaveProperty(field, null);
    }
  });

  it('prints a JSON error document for an unknown command and for no command under --json', async () => {
    const unknown = fakeIo();
    expect(await main(['rotat', '--json'], unknown)).toBe(2);
    expect(JSON.parse(unknown.out())).toEqual({ error: { kind: 'usage', message: 'unknown command "rotat"' } });
  });

  it('documents the keys of every AWS-calling command, error included', () => {
    for (const name of ['rotate', 'status', 'preflight']) {
      const command = COMMANDS.find((c) => c.name === name)!;
      expect(command.jsonFields).toContain('error');
      expect(errorDocument(command, { kind: 'failure', message: 'x' })).toHaveProperty('error.kind', 'failure');
    }
  });

  it.each([
    [['status'], 2],
    [['preflight'], 2],
    [['rotate', '--secret-id', 's', '--timeout', '5'], 2],
    [['rotate', '--secret-id', 's', '--wait', '--timeout', '0'], 2],
  ])('%j exits %i', async (argv, expected) => {
    const account = new SandboxAccount({ hosts: 1 });
    try {
      expect(await main(argv as string[], sandboxIo(account))).toBe(expected);
    } finally {
      account.restore();
    }
  });
});

describe('Ctrl-C during rotate --wait', () => {
  it('says the rotation goes on and how to check it, and exits 130', async () => {
    // Prepare: the operator presses Ctrl-C as soon as the wait begins.
    const account = new SandboxAccount({ hosts: 2 });
    const rotations = rotateOnRequest(account);
    let listening = false;
    const io = sandboxIo(account, {
      onInterrupt: (listener) => {
        listening = true;
        queueMicrotask(listener);
        return () => void (listening = false);
      },
    });
    try {
      // Act
      const code = await main(['rotate', '--secret-id', account.secrets.arn, '--wait'], io);

      // Assess
      expect(code).toBe(130);
      expect(io.err()).toContain('interrupted: stopped following version');
      expect(io.err()).toContain('The rotation goes on in Secrets Manager');
      expect(io.err()).toContain(`ses-smtp-rotation status --secret-id ${account.secrets.arn}`);
      expect(listening).toBe(false);
    } finally {
      await rotations.settled();
      account.restore();
    }
  });
});
