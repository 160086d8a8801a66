import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { StepRun } from './agent';
import type { MtaHost, MtaUnderTest } from './mta-contract';
import type { MtaInstance } from './mta-instance';
import { expectNoSecretIn, newCredential, SECRET_ARN, type TestCredential } from './scenario';

/** The update scenarios of the contract (mta-contract.ts), by id. */
export type ContractScenario = 'install' | 'unchanged' | 'rejected' | 'unreadable' | 'swap' | 'stopped' | 'legacy';

type Scenarios = Record<ContractScenario, [title: string, body: () => Promise<void>]>;

/** The update scenarios' titles and bodies for `t`, run on `h`; `failed` makes a failure's result line. */
export function updateScenarios<I extends MtaInstance>(
  t: MtaUnderTest<I>,
  h: MtaHost<I>,
  failed: (reason: string, rollback: string, key: TestCredential | undefined) => string,
): Scenarios {
  const { OLD } = h;
  /** A new credential the relay accepts alongside the old one, as SES does while a rotation runs. */
  const rotating = () => {
    const NEW = newCredential();
    h.s.relay.accepted = [OLD, NEW];
    return NEW;
  };
  /** Proves a failed run left everything as it was: the files, the map, and mail flowing with OLD. */
  const expectNothingChanged = async (run: StepRun, text: string, index: Buffer, subject: string) => {
    h.expectInstalled(text);
    expect(readFileSync(t.indexFile(h.s.mta)).equals(index)).toBe(true);
    expect(h.s.mta.lookup()).toBe(`${OLD.user}:${OLD.pass}`);
    h.s.relay.accepted = [OLD];
    expect(await h.s.deliver(subject)).toBe(OLD.user);
    expectNoSecretIn(run, h.s.secretsUsed);
  };
  return {
    install: [
      `installs the new credential, keeps the other entries, and ${t.name} relays with it`,
      async () => {
        h.reset();
        expect(await h.s.deliver(`${t.mta} before rotation`)).toBe(OLD.user);
        const NEW = rotating();
        const versionId = h.s.storeVersion(NEW);
        const attempts = h.s.relay.authAttempts.length;

        const run = await h.s.runStep(versionId);

        expect(run.stderr).toBe('');
        expect(h.s.relay.authAttempts.slice(attempts, attempts + 1)).toEqual([{ user: NEW.user, ok: true }]);
        expect(run.code).toBe(0);
        expect(run.resultLine).toBe(h.updated(NEW));
        h.expectInstalled(t.credentialText(NEW, h.s.mta));
        expect(h.s.mta.lookup()).toBe(`${NEW.user}:${NEW.pass}`);
        const dir = dirname(h.s.mta.credentialFile);
        for (const f of t.installedFiles) {
          expect(statSync(join(dir, f)).mode & 0o777).toBe(t.fileMode);
          expect(statSync(join(dir, f)).uid).toBe(0);
        }
        // No trace of the old password anywhere beside the credential (a map updated in place keeps one).
        for (const f of readdirSync(dir).filter((n) => statSync(join(dir, n)).isFile())) {
          expect(readFileSync(join(dir, f)).includes(OLD.pass)).toBe(false);
        }
        h.s.relay.accepted = [NEW]; // the old key is retired: mail must still flow
        expect(await h.s.deliver(`${t.mta} after rotation`)).toBe(NEW.user);
        expect(h.s.aws.calls().at(-1)).toBe(
          `secretsmanager get-secret-value --secret-id ${SECRET_ARN} --version-id ${versionId} ` +
            '--region eu-west-1 --query SecretString --output text',
        );
        expectNoSecretIn(run, h.s.secretsUsed);
      },
    ],
    unchanged: [
      'reports unchanged and touches nothing when the version is already installed (a retried command)',
      async () => {
        h.reset();
        const before = statSync(t.indexFile(h.s.mta));

        const run = await h.s.runStep(h.s.storeVersion(OLD));

        expect(run.code).toBe(0);
        expect(run.resultLine).toBe(h.unchanged(OLD));
        const after = statSync(t.indexFile(h.s.mta));
        expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
        expectNoSecretIn(run, h.s.secretsUsed);
      },
    ],
    rejected: [
      'refuses a credential the relay rejects, changes nothing, and mail keeps flowing with the old one',
      async () => {
        const text = h.reset();
        const index = readFileSync(t.indexFile(h.s.mta));
        const BAD = newCredential(); // not accepted by the relay (e.g. derived for another region)

        const run = await h.s.runStep(h.s.storeVersion(BAD));

        expect(run.code).toBe(1);
        expect(run.resultLine).toBe(failed('relay-rejected', 'not-needed', BAD));
        expect(run.stderr).toContain('rejected the new credential (SMTP AUTH: 535 Authentication Credentials Invalid)');
        await expectNothingChanged(run, text, index, `${t.mta} after refused rotation`);
      },
    ],
    unreadable: [
      'fails with the permission to grant when the version cannot be read',
      async () => {
        const text = h.reset();

        const run = await h.s.runStep('0b5e7c1a-9d7f-4a53-8a8e-2f8f5c1c0000');

        expect(run.code).toBe(1);
        expect(run.resultLine).toBe(failed('fetch-secret', 'not-needed', undefined));
        expect(run.stderr).toContain('ResourceNotFoundException');
        expect(run.stderr).toContain('secretsmanager:GetSecretValue');
        h.expectInstalled(text);
      },
    ],
    swap: [
      'puts the previous files back when the swap fails (an unexpected error)',
      async () => {
        // An mv whose n-th call fails, as a full or read-only file system would make it.
        const text = h.reset();
        const index = readFileSync(t.indexFile(h.s.mta));
        const NEW = rotating();
        const wrapperDir = join(h.s.mta.dir, 'failing-mv');
        mkdirSync(wrapperDir, { recursive: true });
        const count = join(wrapperDir, 'count');
        writeFileSync(
          join(wrapperDir, 'mv'),
          `#!/bin/sh\necho x >> '${count}'\n[ "$(wc -l < '${count}')" -eq ${t.failingMv} ] && exit 1\nexec /usr/bin/mv "$@"\n`,
        );
        chmodSync(join(wrapperDir, 'mv'), 0o755);

        const run = await h.s.runStep(h.s.storeVersion(NEW), { pathPrefix: [wrapperDir] });

        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(/unexpected failure \(exit 1\) at line \d+: mv -f "\$new" "\$live" before/);
        expect(run.resultLine).toBe(failed('unexpected', 'done', NEW));
        await expectNothingChanged(run, text, index, `${t.mta} after failed swap`);
      },
    ],
    stopped: [
      'installs while the daemon is stopped, and the daemon uses the new credential once started',
      async () => {
        h.reset();
        h.s.mta.stop();
        const NEW = newCredential();
        h.s.relay.accepted = [NEW];

        const run = await h.s.runStep(h.s.storeVersion(NEW));
        h.s.mta.start();

        expect(run.code).toBe(0);
        expect(run.resultLine).toBe(h.updated(NEW).replace(/reload=\S+$/, `reload=${t.reload.stopped}`));
        expect(h.s.mta.lookup()).toBe(`${NEW.user}:${NEW.pass}`);
        expect(await h.s.deliver(`${t.mta} after restart`)).toBe(NEW.user);
      },
    ],
    legacy: [
      'works on an agent older than ENV_VAR support (text substitution only)',
      async () => {
        h.reset();
        const NEW = rotating();

        const run = await h.s.runStep(h.s.storeVersion(NEW), { legacyAgent: true });

        expect(run.code).toBe(0);
        expect(run.resultLine).toBe(h.updated(NEW));
        expect(h.s.mta.lookup()).toBe(`${NEW.user}:${NEW.pass}`);
        expectNoSecretIn(run, h.s.secretsUsed);
      },
    ],
  };
}
