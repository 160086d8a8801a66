import { maskKeyId } from '../core/mask';
import type { Step } from '../rotation/event';
import type { SmtpProbe } from '../rotation/ports';
import { createSmtpProbe } from '../smtp';
import { SandboxAccount } from './account';
import type { ManualProof } from './demo-manual';
import { crashPlan, narratingLog, wireProgress } from './demo-narration';
import { prove, provenHosts, smtpLogin, type DemoProof } from './demo-proof';
import type { RetirementProof } from './demo-retirement';
import { continueRotation, runRotation, type DriverOptions, type RotationRun } from './rotation-driver';
import { SesLikeSmtpEndpoint } from './smtp-endpoint';
import { createTlsAuthority } from './tls-authority';

export type { DemoProof } from './demo-proof';

/** Options of one demo run. */
export interface DemoOptions {
  readonly hosts?: number;
  /** 1-based index of a host whose document fails on the first attempts (then it is "fixed"). */
  readonly failHost?: number;
  /** The step in which the Lambda dies once. */
  readonly crashAt?: Step;
  /** Staged retirement in virtual time after the rotation: promotion → deactivation → deletion. */
  readonly lifecycle?: boolean;
  /** A consumer the push does not reach keeps using the old key (implies {@link lifecycle}). */
  readonly strayConsumer?: boolean;
  /**
   * A disaster-recovery region: a second SES-like endpoint accepting only that region's passwords, and every
   * other relay pointed at it. @default none (single region)
   */
  readonly drRegion?: string;
  /** Manual consumers (systems changed by hand) registered before the rotation (1–5). */
  readonly manual?: number;
  /** The last manual consumer never confirms: nothing is promoted, the reminder goes out. */
  readonly manualSilent?: boolean;
  /** Receives one human-readable line per event (omitted for --json). */
  readonly print?: (line: string) => void;
}

/** The demo's result (also its --json output). */
export interface DemoReport {
  readonly hosts: number;
  readonly platforms: Record<string, number>;
  /** Relays per mail server (postfix, exim, sendmail, iis). */
  readonly mtas: Record<string, number>;
  readonly endpoint: string;
  /** The DR region, the endpoint name its relays use, where the demo serves it, and how many relays use it. */
  readonly drRegion?: {
    readonly region: string;
    readonly endpoint: string;
    readonly servedAt: string;
    readonly relays: number;
  };
  readonly runs: readonly { token: string; succeeded: boolean; attempts: number; errors: string[] }[];
  readonly failedHost?: string;
  readonly crashAt?: Step;
  readonly audit?: string;
  readonly proof: DemoProof;
  readonly retirement?: RetirementProof;
  readonly manual?: ManualProof;
  readonly apiCalls: number;
  readonly virtualSeconds: number;
  readonly ok: boolean;
}

/** How the demo names each mail server, in the order it lists them. */
const MTA_NAMES: Readonly<Record<string, string>> = {
  postfix: 'Postfix',
  exim: 'Exim',
  sendmail: 'Sendmail',
  iis: 'IIS SMTP',
};

const MTA_ORDER = Object.keys(MTA_NAMES);

/** The demo account's primary SES region. */
export const DEMO_REGION = 'eu-west-1';

/**
 * Runs a whole rotation offline: a sandbox account (stateful fakes of Secrets Manager, IAM and SSM), a fleet of
 * simulated relays (mixed Linux and Windows) that fetch the secret by version id and authenticate over real SMTP,
 * and a local SES-like SMTP endpoint (STARTTLS with a CA made for this run; it accepts exactly the SigV4 passwords
 * of the user's active keys). The real handler runs the four steps as Secrets Manager would. Leaves nothing behind.
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoReport> {
  const print = options.print ?? (() => undefined);
  const hostCount = options.hosts ?? 24;
  const ca = createTlsAuthority('ses-smtp-rotation demo CA');
  // The endpoint must listen before the account can record its port; it consults the account's IAM once created.
  const accountRef: { current?: SandboxAccount } = {};
  const ses = new SesLikeSmtpEndpoint({
    certificate: ca.issueServerCertificate(['127.0.0.1']),
    name: 'email-smtp.demo.local',
    authenticate: (username, password) =>
      accountRef.current?.iam.authenticateSmtp(username, password, DEMO_REGION) ? 'accept' : 'reject',
  });
  const port = await ses.start();
  const dr = options.drRegion === undefined ? undefined : await startDrEndpoint(options.drRegion, ca, accountRef);
  const account = new SandboxAccount({
    region: DEMO_REGION,
    ...(dr && { additionalRegion: dr.region }),
    hosts: hostCount,
    platforms: 'mixed',
    initialSecret: 'settings',
    endpoint: '127.0.0.1',
    port,
    hostDurationMs: 20_000,
    retirement: options.lifecycle || options.strayConsumer ? 'staged' : 'immediate',
    registry: options.manual !== undefined,
  });
  accountRef.current = account;
  // The probe waits on the sandbox's clock, the same one its deadlines are measured with.
  const direct = createSmtpProbe({ clock: account.clock, extraCaPem: ca.caCertPem });
  const probe = dr && account.additionalRegion ? routed(direct, account.additionalRegion.endpoint, dr.port) : direct;
  try {
    return await rotateAndProve(account, [ses, ...(dr ? [dr.endpoint] : [])], probe, hostCount, options, print);
  } finally {
    account.restore();
    await ses.stop();
    await dr?.endpoint.stop();
  }
}

/** The DR region's SES-like endpoint: it accepts only passwords derived for that region. */
async function startDrEndpoint(
  region: string,
  ca: ReturnType<typeof createTlsAuthority>,
  accountRef: { current?: SandboxAccount },
): Promise<{ region: string; endpoint: SesLikeSmtpEndpoint; port: number }> {
  const endpoint = new SesLikeSmtpEndpoint({
    certificate: ca.issueServerCertificate(['127.0.0.1']),
    name: `email-smtp.${region}.demo.local`,
    authenticate: (username, password) =>
      accountRef.current?.iam.authenticateSmtp(username, password, region) ? 'accept' : 'reject',
  });
  return { region, endpoint, port: await endpoint.start() };
}

/**
 * The demo's stand-in for DNS: the DR region's real endpoint name (what the secret and the relays record) is
 * served by the local DR endpoint. Everything else goes where it says.
 */
function routed(probe: SmtpProbe, drHost: string, drPort: number): SmtpProbe {
  return {
    authenticate: (target, deadline) =>
      probe.authenticate(target.host === drHost ? { ...target, host: '127.0.0.1', port: drPort } : target, deadline),
  };
}

async function rotateAndProve(
  account: SandboxAccount,
  [ses, drSes]: SesLikeSmtpEndpoint[],
  probe: SmtpProbe,
  hostCount: number,
  options: DemoOptions,
  print: (line: string) => void,
): Promise<DemoReport> {
  const login = smtpLogin(probe, account.clock);
  const platforms = countBy(account.hosts.map((h) => h.platform));
  const mtas = countBy(
    account.hosts.map((h) => h.mta ?? 'postfix').sort((a, b) => MTA_ORDER.indexOf(a) - MTA_ORDER.indexOf(b)),
  );
  const consoleKey = account.iam.keys(account.userName)[0];
  const oldCredential = account.installed.get(account.hosts[0]?.instanceId ?? '');
  print(
    `Sandbox: SES user ${account.userName} with one console-made key ${maskKeyId(consoleKey?.id ?? '')} on every host.`,
  );
  print(
    `Fleet: ${hostCount} relays (${Object.entries(platforms)
      .map(([p, n]) => `${n} ${p}`)
      .join(', ')}; ${Object.entries(mtas)
      .map(([m, n]) => `${n} ${MTA_NAMES[m] ?? m}`)
      .join(', ')}), tag Role=smtp-relay.`,
  );
  print(`SES-like SMTP endpoint on 127.0.0.1:${account.port} (STARTTLS, certificate from a CA made for this run).`);
  const dr = account.additionalRegion;
  const drRelays = account.hosts.filter((h) => h.relayHost !== undefined).length;
  if (dr && drSes) {
    print(
      `DR region ${dr.region}: a second SES-like endpoint on 127.0.0.1:${drSes.port} stands in for ${dr.endpoint}; it`,
    );
    print(
      `  accepts only ${dr.region} passwords. ${drRelays} relays (every other one) relay to it and install that region's password.`,
    );
  }
  print('');

  const failing = options.failHost !== undefined ? account.hosts[options.failHost - 1] : undefined;
  if (options.failHost !== undefined && !failing)
    throw new RangeError(`--fail-host must be between 1 and ${hostCount}`);
  if (failing)
    failing.behaviour = { kind: 'fail', output: 'ses-smtp-rotation-result status=failed reason=relayhost-mismatch' };

  wireProgress(account, print);
  const driver: DriverOptions = {
    maxAttempts: failing ? 2 : 4,
    handler: { probe, log: narratingLog(account, print) },
    onInvocation: (o) =>
      print(
        `  ${o.result === 'ok' ? '✓' : o.result === 'crashed' ? '✗ crashed' : '✗ failed'} ${o.step} (attempt ${o.attempt})${o.error ? `: ${o.error.message}` : ''}`,
      ),
    ...crashPlan(account, options.crashAt, print),
  };
  const runs: RotationRun[] = [];
  // The manual and retirement acts (and the CLI commands they run) load only when asked for.
  const manualAct = options.manual ? await import('./demo-manual') : undefined;
  const manualNames = manualAct && options.manual ? manualAct.registerManualConsumers(account, options.manual) : [];
  if (manualNames.length > 0) {
    print(`Manual consumers (changed by hand, confirmed with the CLI): ${manualNames.join(', ')}; on the old key.`);
    print('');
  }
  print(
    'Rotation 1: Secrets Manager calls the rotation Lambda (createSecret → setSecret → testSecret → finishSecret).',
  );
  runs.push(await runRotation(account, driver));
  if (failing && !runs[0]?.succeeded) {
    const current = account.secrets.versionWithStage('AWSCURRENT');
    print('');
    print(
      `The push failed on ${failing.instanceId}: nothing was promoted (AWSCURRENT is still ${current ?? 'the settings-only version'}),`,
    );
    print(
      `the old key ${maskKeyId(consoleKey?.id ?? '')} is still active, and every relay can still send: ${await provenHosts(account, login)}/${hostCount}.`,
    );
    print(`An operator fixes ${failing.instanceId}; Secrets Manager retries the same rotation.`);
    failing.behaviour = { kind: 'run' };
    print('');
    runs.push(await continueRotation(account, runs[0]!.token, { ...driver, ...crashPlan(account, undefined, print) }));
  }

  let manual: ManualProof | undefined;
  if (manualAct && manualNames.length > 0 && runs.at(-1)?.succeeded) {
    const shown = await manualAct.demoManual(
      account,
      runs.at(-1)!,
      { names: manualNames, silent: options.manualSilent === true, login, driver },
      print,
    );
    manual = shown.proof;
    if (shown.resumed) runs.push(shown.resumed);
    if (options.manualSilent) {
      // Measured as in the full proof; the old password still works by design (nothing was promoted).
      const hostsAuthenticated = await provenHosts(account, login);
      return manualOnlyReport(account, { hostCount, hostsAuthenticated, platforms, mtas }, runs, manual);
    }
  }

  const audit = account.notifications.filter((n) => n.subject?.includes('rotated')).at(-1)?.message;
  const retirement =
    account.retirement === 'staged' && oldCredential && runs.at(-1)?.succeeded
      ? await (
          await import('./demo-retirement')
        ).demoRetirement(account, login, oldCredential, print, { stray: options.strayConsumer === true })
      : undefined;
  const proof = await prove(account, login, oldCredential, hostCount);
  print('');
  print('Audit trail (the notification an operator receives):');
  for (const line of (audit ?? '(no notification: the rotation did not complete)')
    .split('\n')
    .slice(0, audit?.includes('Manual consumers') ? 15 : 10))
    print(`  ${line}`);
  print('');
  print(
    `Proof: ${proof.hostsAuthenticated}/${proof.hosts} relays hold a credential that authenticates over SMTP (STARTTLS + AUTH);`,
  );
  print(
    `       the old password is ${proof.oldPasswordRejected ? 'rejected (535)' : 'STILL ACCEPTED'}; the user has ${proof.keysOnUser} key${proof.keysOnUser === 1 ? '' : 's'}.`,
  );
  const ok =
    runs.at(-1)?.succeeded === true &&
    proof.hostsAuthenticated === hostCount &&
    proof.oldPasswordRejected &&
    proof.keysOnUser === 1 &&
    (retirement?.ok ?? true) &&
    (manual?.ok ?? true);
  const attempts = drSes
    ? `${ses!.authAttemptCount} (primary) and ${drSes.authAttemptCount} (${dr?.region})`
    : `${ses!.authAttemptCount}`;
  print(
    `SMTP AUTH attempts seen by the endpoint: ${attempts}. AWS API calls made by the Lambda: ${account.recorder.calls.length}.`,
  );
  return {
    hosts: hostCount,
    platforms,
    mtas,
    endpoint: `127.0.0.1:${account.port}`,
    ...(dr &&
      drSes && {
        drRegion: { region: dr.region, endpoint: dr.endpoint, servedAt: `127.0.0.1:${drSes.port}`, relays: drRelays },
      }),
    runs: runSummaries(runs),
    ...(failing ? { failedHost: failing.instanceId } : {}),
    ...(options.crashAt ? { crashAt: options.crashAt } : {}),
    ...(audit ? { audit } : {}),
    proof,
    ...(retirement ? { retirement } : {}),
    ...(manual ? { manual } : {}),
    apiCalls: account.recorder.calls.length,
    virtualSeconds: Math.round((account.clock.now() - Date.UTC(2025, 0, 1)) / 1000),
    ok,
  };
}

/** The report of a run where a manual consumer never confirmed: the proof is the manual part's. */
/** What the report says of each run: attempts, and the errors and simulated crashes it went through. */
function runSummaries(runs: readonly RotationRun[]): DemoReport['runs'] {
  return runs.map((r) => ({
    token: r.token,
    succeeded: r.succeeded,
    attempts: r.attempts,
    errors: r.invocations.flatMap((i) =>
      i.error ? [i.error.message] : i.result === 'crashed' ? [`${i.step}: the Lambda died (simulated)`] : [],
    ),
  }));
}

function manualOnlyReport(
  account: SandboxAccount,
  fleet: {
    hostCount: number;
    hostsAuthenticated: number;
    platforms: Record<string, number>;
    mtas: Record<string, number>;
  },
  runs: readonly RotationRun[],
  manual: ManualProof,
): DemoReport {
  const { hostCount, hostsAuthenticated, platforms, mtas } = fleet;
  return {
    hosts: hostCount,
    platforms,
    mtas,
    endpoint: `127.0.0.1:${account.port}`,
    runs: runSummaries(runs),
    proof: {
      hosts: hostCount,
      hostsAuthenticated,
      oldPasswordRejected: false,
      keysOnUser: account.iam.keys(account.userName).length,
    },
    manual,
    apiCalls: account.recorder.calls.length,
    virtualSeconds: Math.round((account.clock.now() - Date.UTC(2025, 0, 1)) / 1000),
    ok: manual.ok,
  };
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}
