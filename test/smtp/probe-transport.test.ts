import { createServer, type Server, type Socket } from 'node:net';
import { Deadline, systemClock } from '../../src/core/clock';
import type { SmtpProbeTarget } from '../../src/rotation/ports';
import { SesLikeSmtpEndpoint, type SmtpEndpointOptions } from '../../src/sandbox/smtp-endpoint';
import { createTlsAuthority } from '../../src/sandbox/tls-authority';
import {
  createSmtpProbe,
  SmtpNetworkError,
  SmtpProbeError,
  SmtpStartTlsMissingError,
  SmtpTimeoutError,
  SmtpTlsError,
  type SmtpProbeOptions,
} from '../../src/smtp';
import { captureOutput, expectNoSecret, exposedText, testCredential } from './support';

const credential = testCredential('eu-west-1');
const ca = createTlsAuthority();
const loopbackCert = ca.issueServerCertificate(['127.0.0.1']);
const sesNameCert = ca.issueServerCertificate(['email-smtp.eu-west-1.amazonaws.com']);
const timeouts = { connectionMs: 2_000, greetingMs: 300, socketMs: 2_000 };

let endpoint: SesLikeSmtpEndpoint | undefined;
let silent: Server | undefined;
let output: ReturnType<typeof captureOutput>;

beforeEach(() => {
  output = captureOutput();
});

afterEach(async () => {
  output.restore();
  await endpoint?.stop();
  endpoint = undefined;
  await new Promise<void>((resolve) => (silent ? silent.close(() => resolve()) : resolve()));
  silent = undefined;
  expectNoSecret(output.lines, credential);
});

async function startEndpoint(options: Partial<SmtpEndpointOptions> = {}): Promise<number> {
  endpoint = new SesLikeSmtpEndpoint({
    certificate: loopbackCert,
    authenticate: (u, p) => (u === credential.username && p === credential.password ? 'accept' : 'reject'),
    ...options,
  });
  return endpoint.start();
}

function target(port: number): SmtpProbeTarget {
  return { host: '127.0.0.1', port, region: 'eu-west-1', ...credential };
}

function authenticate(port: number, options: SmtpProbeOptions = {}) {
  return createSmtpProbe({ extraCaPem: ca.caCertPem, timeouts, ...options }).authenticate(
    target(port),
    Deadline.after(systemClock, 5_000),
  );
}

async function failure(promise: Promise<unknown>): Promise<SmtpProbeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof SmtpProbeError)) throw new Error(`expected a probe error, got ${String(error)}`);
  expectNoSecret([exposedText(error)], credential);
  return error;
}

describe('NodemailerSmtpProbe transport security', () => {
  it('refuses to authenticate when the server offers no STARTTLS, and never sends the password', async () => {
    const port = await startEndpoint({ startTls: false });

    const error = await failure(authenticate(port));

    expect(error).toBeInstanceOf(SmtpStartTlsMissingError);
    expect(error.summary.attempts).toBe(1);
    expect(error.message).toContain('NOT sent over plain text');
    expect(endpoint?.authAttemptCount).toBe(0);
  });

  it('fails fast with a TLS error when the certificate is not from a trusted CA', async () => {
    const port = await startEndpoint();

    const error = await failure(authenticate(port, { extraCaPem: undefined }));

    expect(error).toBeInstanceOf(SmtpTlsError);
    expect(error.summary.attempts).toBe(1);
    expect(error.message).toContain('not trusted');
    expect(error.message).toContain('smtpTrustedCaPem'); // names the setting that fixes it
    expect(error.message).toContain('SMTP_TRUSTED_CA_PEM');
    expect(endpoint?.authAttemptCount).toBe(0);
  });

  it('authenticates when it trusts the extra CA alone (the sandbox) and the certificate comes from it', async () => {
    const port = await startEndpoint();

    const report = await authenticate(port, { extraCaOnly: true });

    expect(report.attempts).toBe(1);
    expect(endpoint?.authAttemptCount).toBe(1);
  });

  it('refuses a certificate from another CA when it trusts the extra CA alone', async () => {
    // Prepare: the endpoint's certificate comes from a second CA; the probe trusts only the first.
    const other = createTlsAuthority();
    const port = await startEndpoint({ certificate: other.issueServerCertificate(['127.0.0.1']) });

    // Act
    const error = await failure(authenticate(port, { extraCaOnly: true }));

    // Assess
    expect(error).toBeInstanceOf(SmtpTlsError);
    expect(error.message).toContain('not trusted');
    expect(endpoint?.authAttemptCount).toBe(0);
  });

  it('refuses a certificate issued for another host name', async () => {
    const port = await startEndpoint({ certificate: ca.issueServerCertificate(['other.example']) });

    const error = await failure(authenticate(port));

    expect(error).toBeInstanceOf(SmtpTlsError);
    expect(error.message).toContain('does not name 127.0.0.1');
    expect(error.message).toContain('set the TLS server name to email-smtp.eu-west-1.amazonaws.com');
    expect(endpoint?.authAttemptCount).toBe(0);
  });

  it('verifies against the configured TLS server name (VPC endpoint DNS names)', async () => {
    const port = await startEndpoint({ certificate: sesNameCert });

    const report = await authenticate(port, { tlsServername: 'email-smtp.eu-west-1.amazonaws.com' });

    expect(report.attempts).toBe(1);
    expect(endpoint?.authAttempts[0]?.secure).toBe(true);
  });

  it('authenticates with implicit TLS on the second port', async () => {
    await startEndpoint({ implicitTls: true });

    const report = await authenticate(endpoint?.implicitTlsPort ?? 0, { tlsMode: 'implicit' });

    expect(report.attempts).toBe(1);
    expect(endpoint?.authAttempts).toEqual([expect.objectContaining({ verdict: 'accept', secure: true })]);
  });

  it('names a port/TLS mode mismatch when implicit TLS meets a STARTTLS listener', async () => {
    const port = await startEndpoint();

    const error = await failure(authenticate(port, { tlsMode: 'implicit' }));

    expect(error).toBeInstanceOf(SmtpTlsError);
    expect(error.message).toContain('port/TLS mode mismatch');
    expect(error.message).toContain(`127.0.0.1:${port} (implicit TLS)`);
  });
});

describe('NodemailerSmtpProbe network failures', () => {
  it('times out within the greeting timeout when the server accepts and stays silent', async () => {
    const sockets: Socket[] = [];
    silent = createServer((socket) => void sockets.push(socket));
    const port = await new Promise<number>((resolve) =>
      silent?.listen(0, '127.0.0.1', () => resolve((silent?.address() as { port: number }).port)),
    );
    silent.on('close', () => sockets.forEach((s) => s.destroy()));
    const started = Date.now();

    const error = await failure(authenticate(port));
    sockets.forEach((s) => s.destroy());

    expect(error).toBeInstanceOf(SmtpTimeoutError);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(error.summary.attempts).toBe(1);
    expect(error.message).toContain('Greeting never received');
    expect(error.message).toContain('port 25 is restricted');
    expect(error.message).toContain('com.amazonaws.eu-west-1.email-smtp');
  });

  it('fails fast with a network error when the connection is refused', async () => {
    const closed = createServer();
    const port = await new Promise<number>((resolve) =>
      closed.listen(0, '127.0.0.1', () => resolve((closed.address() as { port: number }).port)),
    );
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const error = await failure(authenticate(port));

    expect(error).toBeInstanceOf(SmtpNetworkError);
    expect(error.summary.attempts).toBe(1);
    expect(error.message).toContain('refused (ECONNREFUSED)');
  });
});
