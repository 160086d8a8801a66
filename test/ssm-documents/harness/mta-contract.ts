import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { RESULT_MARKER } from '../../../src/core/document-contract';
import { maskKeyId } from '../../../src/core/mask';
import type { StepRun } from './agent';
import { injectionScenarios } from './injection';
import type { MtaInstance } from './mta-instance';
import { type MtaScenario, startMtaScenario } from './mta-scenario';
import { expectNoSecretIn, newCredential, SECRET_ARN, type TestCredential } from './scenario';
import type { TestRelay } from './test-relay';

/** What differs between the Linux MTAs in the guarantees the document's step gives on each of them. */
export interface MtaUnderTest<I extends MtaInstance = MtaInstance> {
  /** The document's name for it (Mta parameter, result line, no-<mta> reason). */
  readonly mta: 'postfix' | 'exim' | 'sendmail';
  /** Its name in test names and in the "not installed" message. */
  readonly name: string;
  /** The relay's host name: its certificate's and the secret's endpoint. */
  readonly relayName: string;
  /** Makes the file's one throw-away instance, relaying to `relay`. */
  create(relay: TestRelay): Promise<I>;
  /** The credential file as an administrator keeps it: other relays' entries around this relay's. */
  credentialText(credential: TestCredential, mta: I): string;
  /** What the result line names after the key: the relay host, and the map type or the file. */
  installedAt(s: MtaScenario<I>): string;
  /** reload= of an update while the daemon runs, and while it is stopped. */
  readonly reload: { readonly running: string; readonly stopped: string };
  /** The files beside the credential file (its name or a dot-file) once installed, sorted, and their mode. */
  readonly installedFiles: readonly string[];
  readonly fileMode: number;
  /** The file the daemon reads (the built map, or the credential file itself): a no-op run must not touch it. */
  indexFile(mta: I): string;
  /** The command whose absence means "not installed here". */
  readonly probe: string;
  /** Which of the step's mv calls fails in the swap-failure scenario (2: the source, after its map). */
  readonly failingMv: number;
}

/** One file's instance and its helpers, for the contract's scenarios and the MTA's own. */
export interface MtaHost<I extends MtaInstance = MtaInstance> {
  /** The credential the host is configured with before every scenario. */
  readonly OLD: TestCredential;
  /** Set by the contract's beforeAll. */
  s: MtaScenario<I>;
  /** Puts the host back to "configured with OLD, daemon running"; returns the credential file's text. */
  reset(): string;
  /** The result line of an update to `credential` with the daemon running. */
  updated(credential: TestCredential): string;
  /** The result line of a run that found `credential` already installed. */
  unchanged(credential: TestCredential): string;
  /** Expects the credential file and the live map to hold `text` and nothing to be left beside them. */
  expectInstalled(text: string): void;
}

/** The update scenarios, by id: a file whose MTA variant needs only some of them names those. */
export type ContractScenario = 'install' | 'unchanged' | 'rejected' | 'unreadable' | 'swap' | 'stopped' | 'legacy';
export type ContractOption = ContractScenario | 'missing' | 'auto' | 'injection';

/**
 * Registers, in the calling describe, the guarantees the Linux step gives on every MTA, run against one real
 * instance made by `t` (started once for the file). Returns the host for the MTA's own scenarios.
 */
export function describeMtaUpdateContract<I extends MtaInstance>(
  t: MtaUnderTest<I>,
  only?: readonly ContractOption[],
): MtaHost<I> {
  const OLD = newCredential();
  const files = (h: MtaHost<I>) =>
    readdirSync(dirname(h.s.mta.credentialFile))
      .filter((f) => f.startsWith(basename(h.s.mta.credentialFile)) || f.startsWith('.'))
      .sort();
  const host: MtaHost<I> = {
    OLD,
    s: undefined as unknown as MtaScenario<I>,
    reset() {
      const text = t.credentialText(OLD, host.s.mta);
      host.s.mta.writeCredentials(text);
      host.s.relay.accepted = [OLD];
      if (!host.s.mta.running()) host.s.mta.start();
      return text;
    },
    updated: (c) =>
      `${RESULT_MARKER} status=updated mta=${t.mta} key=${maskKeyId(c.user)} ${t.installedAt(host.s)} ` +
      `auth=verified reload=${t.reload.running}`,
    unchanged: (c) =>
      `${RESULT_MARKER} status=unchanged mta=${t.mta} key=${maskKeyId(c.user)} ${t.installedAt(host.s)}`,
    expectInstalled(text) {
      expect(readFileSync(host.s.mta.credentialFile, 'utf8')).toBe(text);
      expect(files(host)).toEqual(t.installedFiles);
    },
  };
  beforeAll(async () => {
    host.s = await startMtaScenario(t.relayName, t.create, (m) => t.credentialText(OLD, m), OLD);
  }, 30_000);
  afterAll(async () => {
    await host.s?.destroy();
  });
  const wanted = (o: ContractOption) => !only || only.includes(o);
  const failed = (reason: string, rollback: string, key: TestCredential | undefined) =>
    `${RESULT_MARKER} status=failed mta=${t.mta} reason=${reason} rollback=${rollback} ` +
    `key=${key ? maskKeyId(key.user) : '-'}`;
  const scenarios = updateScenarios(t, host, failed);
  for (const id of Object.keys(scenarios) as ContractScenario[]) {
    if (wanted(id)) it(scenarios[id][0], scenarios[id][1]);
  }
  if (wanted('missing')) {
    it(`fails clearly on a host without ${t.name}`, async () => {
      const run = await host.s.runStep(host.s.storeVersion(newCredential()), { withoutMta: true });

      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`${t.name} is not installed on this host (${t.probe} not found on PATH)`);
      expect(run.resultLine).toBe(failed(`no-${t.mta}`, 'not-needed', undefined));
    });
  }
  if (wanted('auto')) {
    it(`picks ${t.name} by itself (Mta=auto) when it is the only mail server`, async () => {
      host.reset();
      const NEW = newCredential();
      host.s.relay.accepted = [OLD, NEW];

      const run = await host.s.runStep(host.s.storeVersion(NEW), { parameters: { Mta: 'auto' } });

      expect(run.code).toBe(0);
      expect(run.resultLine).toBe(host.updated(NEW));
    });
  }
  if (wanted('injection')) {
    it.each(injectionScenarios())(
      'refuses an injected %s even when it got past the pattern',
      async (name, value, marker) => {
        const text = host.reset();

        const run = await host.s.runStep(host.s.storeVersion(newCredential()), {
          parameters: { [name]: value },
          relaxed: true,
        });

        expect(run.code).toBe(1);
        expect(run.resultLine).toMatch(/ status=failed mta=\S+ reason=bad-parameter rollback=not-needed /);
        expect(existsSync(marker)).toBe(false);
        expect(readFileSync(host.s.mta.credentialFile, 'utf8')).toBe(text);
      },
    );
  }
  return host;
}

type Scenarios = Record<ContractScenario, [title: string, body: () => Promise<void>]>;

function updateScenarios<I extends MtaInstance>(
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
