import type { Step } from '../rotation/event';
import type { SmtpProbe } from '../rotation/ports';
import { createSmtpProbe } from '../smtp';
import { SandboxAccount } from './account';
import type { DemoReport } from './demo-report';
import { rotateAndProve } from './demo-rotation';
import { SesLikeSmtpEndpoint } from './smtp-endpoint';
import { createTlsAuthority } from './tls-authority';

export type { DemoProof } from './demo-proof';
export type { DemoReport } from './demo-report';

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
  const direct = createSmtpProbe({ clock: account.clock, extraCaPem: ca.caCertPem, extraCaOnly: true });
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
