import { connect as connectTcp } from 'node:net';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { SesLikeSmtpEndpoint, type SmtpEndpointOptions } from '../../src/sandbox/smtp-endpoint';
import { createTlsAuthority } from '../../src/sandbox/tls-authority';
import { captureOutput } from '../smtp/support';

const authority = createTlsAuthority();
const certificate = authority.issueServerCertificate(['127.0.0.1']);
const PASSWORD = 'BSandboxEndpointTestPasswordNotARealOne1234';

let endpoint: SesLikeSmtpEndpoint | undefined;

afterEach(async () => {
  await endpoint?.stop();
  endpoint = undefined;
});

async function start(options: Partial<SmtpEndpointOptions> = {}): Promise<number> {
  endpoint = new SesLikeSmtpEndpoint({
    certificate,
    authenticate: (_user, password) => (password === PASSWORD ? 'accept' : 'reject'),
    ...options,
  });
  return endpoint.start();
}

/** The EHLO reply, read with a bare TCP client (no TLS). */
function ehlo(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString();
      if (/^220 /m.test(text) && !text.includes('EHLO-SENT')) {
        text += 'EHLO-SENT\n';
        socket.write('EHLO client.test\r\n');
      } else if (/^250 /m.test(text)) {
        socket.end('QUIT\r\n');
        resolve(text);
      }
    });
    socket.on('error', reject);
  });
}

/** Authenticates with nodemailer over STARTTLS (or implicit TLS) and returns the error, if any. */
function login(port: number, password: string, secure = false): Promise<(Error & Record<string, unknown>) | undefined> {
  const connection = new SMTPConnection({
    host: '127.0.0.1',
    port,
    secure,
    requireTLS: !secure,
    logger: false,
    tls: { ca: authority.caCertPem },
  });
  return new Promise((resolve) => {
    connection.on('error', (e) => resolve(e as Error & Record<string, unknown>));
    connection.connect(() =>
      connection.login({ user: 'AKIAIOSFODNN7EXAMPLE', pass: password }, (err) => {
        connection.quit();
        resolve(err ? (err as Error & Record<string, unknown>) : undefined);
      }),
    );
  });
}

describe('SesLikeSmtpEndpoint', () => {
  it('advertises STARTTLS and AUTH PLAIN LOGIN on its port', async () => {
    const port = await start();

    const reply = await ehlo(port);

    expect(reply).toMatch(/^250[- ]STARTTLS/m);
    expect(reply).toMatch(/AUTH PLAIN LOGIN/);
  });

  it('does not offer STARTTLS when disabled', async () => {
    const port = await start({ startTls: false });

    expect(await ehlo(port)).not.toContain('STARTTLS');
  });

  it("answers with SES's 235, 535 and 454 replies and counts every AUTH without its password", async () => {
    const verdicts = ['accept', 'reject', 'temporary'] as const;
    let call = 0;
    const port = await start({ authenticate: () => verdicts[call++] ?? 'reject' });

    const accepted = await login(port, PASSWORD);
    const rejected = await login(port, PASSWORD);
    const temporary = await login(port, PASSWORD);

    expect(accepted).toBeUndefined();
    expect(rejected?.response).toBe('535 Authentication Credentials Invalid');
    expect(temporary?.response).toBe('454 Temporary authentication failure');
    expect(endpoint?.authAttemptCount).toBe(3);
    expect(endpoint?.authAttempts.map((a) => a.verdict)).toEqual(['accept', 'reject', 'temporary']);
    expect(JSON.stringify(endpoint?.authAttempts)).not.toContain(PASSWORD);
  });

  it('treats a failing decider as a temporary failure', async () => {
    const port = await start({
      authenticate: () => {
        throw new Error('decider broke');
      },
    });

    expect((await login(port, PASSWORD))?.response).toBe('454 Temporary authentication failure');
  });

  it('refuses every message, even after a successful AUTH', async () => {
    const port = await start();
    const connection = new SMTPConnection({
      host: '127.0.0.1',
      port,
      requireTLS: true,
      logger: false,
      tls: { ca: authority.caCertPem },
    });

    const error = await new Promise<Error & Record<string, unknown>>((resolve) => {
      connection.on('error', (e) => resolve(e as Error & Record<string, unknown>));
      connection.connect(() =>
        connection.login({ user: 'AKIAIOSFODNN7EXAMPLE', pass: PASSWORD }, () =>
          connection.send({ from: 'a@example.com', to: ['b@example.com'] }, 'Subject: x\r\n\r\nhi', (err) => {
            connection.quit();
            resolve(err as Error & Record<string, unknown>);
          }),
        ),
      );
    });

    expect(error.responseCode).toBe(554);
  });

  it('listens for implicit TLS on a second port when asked', async () => {
    const port = await start({ implicitTls: true });

    const error = await login(endpoint?.implicitTlsPort ?? 0, PASSWORD, true);

    expect(endpoint?.implicitTlsPort).not.toBe(port);
    expect(error).toBeUndefined();
    expect(endpoint?.authAttempts[0]?.secure).toBe(true);
  });

  it('logs nothing while serving', async () => {
    const output = captureOutput();
    try {
      const port = await start();
      await login(port, 'wrong');
      await login(port, PASSWORD);
    } finally {
      output.restore();
    }

    expect(output.lines).toEqual([]);
  });

  it('refuses connections after stop and reports the missing ports clearly', async () => {
    const port = await start();
    await endpoint?.stop();

    const error = await login(port, PASSWORD);

    expect(error?.message).toContain('ECONNREFUSED');
    expect(() => endpoint?.port).toThrow('not started');
    expect(() => new SesLikeSmtpEndpoint({ certificate, authenticate: () => 'accept' }).implicitTlsPort).toThrow(
      'implicitTls: true',
    );
  });
});
