import { Deadline, systemClock } from '../../src/core/clock';
import { ConfigurationError } from '../../src/core/errors';
import type { SmtpProbeTarget } from '../../src/rotation/ports';
import { SesLikeSmtpEndpoint, type AuthVerdict } from '../../src/sandbox/smtp-endpoint';
import { createTlsAuthority, type ServerCertificate } from '../../src/sandbox/tls-authority';
import {
  createSmtpProbe,
  SmtpAuthRejectedError,
  SmtpTemporaryFailureError,
  type RetryEvent,
  type SmtpProbeOptions,
} from '../../src/smtp';
import { captureOutput, expectNoSecret, exposedText, testCredential, VirtualClock } from './support';

const credential = testCredential('eu-west-1');
const ca = createTlsAuthority();
const certificate: ServerCertificate = ca.issueServerCertificate(['127.0.0.1']);
const fast: Partial<SmtpProbeOptions> = {
  extraCaPem: ca.caCertPem,
  timeouts: { connectionMs: 2_000, greetingMs: 2_000, socketMs: 2_000 },
  backoff: { initialDelayMs: 20, multiplier: 2, maxDelayMs: 80 },
};

let endpoint: SesLikeSmtpEndpoint | undefined;
let output: ReturnType<typeof captureOutput>;
let retries: RetryEvent[];

beforeEach(() => {
  output = captureOutput();
  retries = [];
});

afterEach(async () => {
  output.restore();
  await endpoint?.stop();
  endpoint = undefined;
  // Whatever a test did, nothing anyone could read (console, retry log) carries the password.
  expectNoSecret([...output.lines, JSON.stringify(retries)], credential);
});

/** Starts an endpoint that answers the given verdicts in turn (the last one repeats). */
async function endpointAnswering(verdicts: AuthVerdict[], authMethods?: ('PLAIN' | 'LOGIN')[]) {
  let call = 0;
  endpoint = new SesLikeSmtpEndpoint({
    certificate,
    authenticate: (username, password) => {
      const scripted = verdicts[Math.min(call++, verdicts.length - 1)] ?? 'reject';
      const valid = username === credential.username && password === credential.password;
      return valid ? scripted : 'reject';
    },
    ...(authMethods && { authMethods }),
  });
  return endpoint.start();
}

function target(port: number, password = credential.password): SmtpProbeTarget {
  return { host: '127.0.0.1', port, region: 'eu-west-1', username: credential.username, password };
}

function probe(extra: Partial<SmtpProbeOptions> = {}) {
  return createSmtpProbe({ ...fast, onRetry: (e) => retries.push(e), ...extra });
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('expected the probe to fail');
  expectNoSecret([exposedText(error)], credential);
  return error;
}

describe('NodemailerSmtpProbe authentication', () => {
  it('authenticates over STARTTLS with AUTH PLAIN', async () => {
    const port = await endpointAnswering(['accept'], ['PLAIN']);

    const report = await probe().authenticate(target(port), Deadline.after(systemClock, 5_000));

    expect(report.attempts).toBe(1);
    expect(endpoint?.authAttempts).toEqual([
      { username: credential.username, method: 'PLAIN', verdict: 'accept', secure: true },
    ]);
  });

  it('authenticates over STARTTLS with AUTH LOGIN', async () => {
    const port = await endpointAnswering(['accept'], ['LOGIN']);

    const report = await probe({ authMethod: 'LOGIN' }).authenticate(target(port), Deadline.after(systemClock, 5_000));

    expect(report.attempts).toBe(1);
    expect(endpoint?.authAttempts.map((a) => [a.method, a.secure])).toEqual([['LOGIN', true]]);
  });

  it('fails with a 535 error naming region, host and attempts when the password is wrong', async () => {
    const port = await endpointAnswering(['accept']);
    const wrong = testCredential('us-east-1').password;

    // Virtual time: the number of attempts must not depend on how fast this machine completes a TLS handshake.
    const clock = new VirtualClock();

    const error = await failure(probe({ clock }).authenticate(target(port, wrong), Deadline.after(clock, 150)));

    expect(error).toBeInstanceOf(SmtpAuthRejectedError);
    expect(error.message).toContain('535 Authentication Credentials Invalid');
    expect(error.message).toContain('password derived for eu-west-1');
    expect(error.message).toContain(`127.0.0.1:${port} (STARTTLS)`);
    expect(error.message).toContain('AKIA…MPLE');
    expect(error.message).toContain('raw secret access key');
    const attempts = (error as SmtpAuthRejectedError).summary.attempts;
    expect(clock.sleeps).toEqual([20, 40, 80, 10]);
    expect(attempts).toBe(5);
    expect(error.message).toContain(`${attempts} attempts in`);
    expect(endpoint?.authAttemptCount).toBe(attempts);
    expectNoSecret([exposedText(error)], { username: credential.username, password: wrong });
  });

  it('succeeds on attempt N+1 when a new key is rejected N times first (propagation)', async () => {
    const port = await endpointAnswering(['reject', 'reject', 'reject', 'accept']);

    const report = await probe().authenticate(target(port), Deadline.after(systemClock, 5_000));

    expect(report.attempts).toBe(4);
    expect(retries.map((r) => [r.attempt, r.responseCode, r.waitMs, r.username])).toEqual([
      [1, 535, 20, 'AKIA…MPLE'],
      [2, 535, 40, 'AKIA…MPLE'],
      [3, 535, 80, 'AKIA…MPLE'],
    ]);
  });

  it('retries 454 Temporary authentication failure', async () => {
    const port = await endpointAnswering(['temporary', 'accept']);

    const report = await probe().authenticate(target(port), Deadline.after(systemClock, 5_000));

    expect(report.attempts).toBe(2);
    expect(retries[0]?.responseCode).toBe(454);
  });

  it('fails with a temporary-failure error when 454 lasts until the deadline', async () => {
    const port = await endpointAnswering(['temporary']);

    const error = await failure(probe().authenticate(target(port), Deadline.after(systemClock, 100)));

    expect(error).toBeInstanceOf(SmtpTemporaryFailureError);
    expect(error.message).toContain('454 Temporary authentication failure');
  });

  it('waits with growing, capped backoff until the deadline and reports attempts and elapsed time', async () => {
    const port = await endpointAnswering(['reject']);
    const clock = new VirtualClock();

    const error = await failure(
      createSmtpProbe({ extraCaPem: ca.caCertPem, clock }).authenticate(target(port), Deadline.after(clock, 30_000)),
    );

    expect(clock.sleeps).toEqual([2_000, 3_200, 5_120, 8_192, 10_000, 1_488]);
    expect(error).toBeInstanceOf(SmtpAuthRejectedError);
    expect((error as SmtpAuthRejectedError).summary).toMatchObject({ attempts: 7, elapsedMs: 30_000 });
    expect(error.message).toContain('7 attempts in 30.0 s, until the time allowed for the check ran out');
    expect(error.message).toContain('still not accepted after 30.0 s');
  });

  it('tries exactly once when the deadline has already passed', async () => {
    const port = await endpointAnswering(['reject']);
    const clock = new VirtualClock();

    const error = await failure(
      createSmtpProbe({ extraCaPem: ca.caCertPem, clock }).authenticate(target(port), Deadline.after(clock, 0)),
    );

    expect((error as SmtpAuthRejectedError).summary.attempts).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('refuses an incomplete target before connecting, without echoing the password', async () => {
    const port = await endpointAnswering(['accept']);

    const error = await failure(
      probe().authenticate({ ...target(port), username: '', port: 0 }, Deadline.after(systemClock, 1_000)),
    );

    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toContain('username is empty');
    expect(error.message).toContain('port 0 is not a port number');
    expect(endpoint?.authAttemptCount).toBe(0);
  });
});
