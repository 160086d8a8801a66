import { createServer, type Server, type Socket } from 'node:net';
import { checkSmtpService } from '../../src/cli/smtp-reachability';

/** A loopback server that speaks just enough SMTP: a scripted greeting and EHLO reply. */
async function smtpServer(script: {
  greeting?: string;
  ehlo?: string;
  silent?: boolean;
}): Promise<{ port: number; server: Server }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    if (script.silent) return;
    socket.write(script.greeting ?? '220 test ESMTP\r\n');
    socket.on('data', (data) => {
      const line = data.toString();
      if (line.startsWith('EHLO')) socket.write(script.ehlo ?? '250-test\r\n250-8BITMIME\r\n250 STARTTLS\r\n');
      if (line.startsWith('QUIT')) socket.end('221 bye\r\n');
    });
  });
  server.on('close', () => sockets.forEach((s) => s.destroy()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, server };
}

describe('checkSmtpService', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  it('passes when the server greets, answers EHLO and offers STARTTLS', async () => {
    const started = await smtpServer({});
    server = started.server;

    const result = await checkSmtpService('127.0.0.1', started.port);

    expect(result).toEqual({ ok: true, detail: 'SMTP greeting and EHLO answered, STARTTLS offered' });
  });

  it('fails when STARTTLS is not offered', async () => {
    const started = await smtpServer({ ehlo: '250-test\r\n250 8BITMIME\r\n' });
    server = started.server;

    const result = await checkSmtpService('127.0.0.1', started.port);

    expect(result).toEqual({ ok: false, detail: 'the server does not offer STARTTLS on this port' });
  });

  it('fails on a greeting other than 220', async () => {
    const started = await smtpServer({ greeting: '554-no\r\n554 go away\r\n' });
    server = started.server;

    const result = await checkSmtpService('127.0.0.1', started.port);

    expect(result).toEqual({ ok: false, detail: 'greeting was 554, not 220' });
  });

  it('fails with an explanation when nothing listens', async () => {
    const started = await smtpServer({});
    await new Promise((resolve) => started.server.close(resolve));

    const result = await checkSmtpService('127.0.0.1', started.port);

    expect(result).toEqual({ ok: false, detail: 'connection refused (nothing listens on this port)' });
  });

  it('gives up on a silent server at the timeout', async () => {
    const started = await smtpServer({ silent: true });
    server = started.server;

    const result = await checkSmtpService('127.0.0.1', started.port, { timeoutMs: 200 });

    expect(result).toEqual({ ok: false, detail: 'no answer within 0.2 s' });
  });
});
