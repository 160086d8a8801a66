import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { RESULT_MARKER } from '../../../src/core/document-contract';
import { maskKeyId } from '../../../src/core/mask';
import { describeDrRegionContract } from './dr-region-contract';
import { injectionScenarios } from './injection';
import type { MtaInstance } from './mta-instance';
import { type MtaScenario, startMtaScenario } from './mta-scenario';
import { newCredential, type TestCredential } from './scenario';
import type { TestRelay } from './test-relay';
import { updateScenarios, type ContractScenario } from './update-scenarios';

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

/** The scenarios, by id: a file whose MTA variant needs only some of them names those. */
export type ContractOption = ContractScenario | 'missing' | 'auto' | 'injection' | 'dr-region';

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
  if (wanted('dr-region')) describeDrRegionContract(t, host);
  return host;
}
