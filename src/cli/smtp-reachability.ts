/**
 * Is the SMTP endpoint there? A connect + greeting + EHLO check for `preflight`: on STARTTLS ports the server must
 * offer STARTTLS; on TLS wrapper ports (465, 2465) the TLS handshake must succeed with a verified certificate.
 * No credential is sent: authentication is testSecret's job, this only finds blocked egress and wrong ports early.
 */
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { tlsModeForPort } from '../core/endpoint';

/** The outcome of one check; `detail` is a short phrase for the operator. */
export interface SmtpServiceResult {
  readonly ok: boolean;
  readonly detail: string;
}

/** Checks that `host:port` answers like an SMTP server with the port's TLS mode. */
export type SmtpServiceCheck = (
  host: string,
  port: number,
  options?: { timeoutMs?: number },
) => Promise<SmtpServiceResult>;

const EHLO_NAME = 'preflight.ses-smtp-rotation.invalid';

/** The production check over a real socket (default timeout 10 s). */
export const checkSmtpService: SmtpServiceCheck = async (host, port, options = {}) => {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const implicit = tlsModeForPort(port) === 'implicit';
  const socket: Socket = implicit ? tlsConnect({ host, port, servername: host }) : tcpConnect({ host, port });
  const conversation = new Conversation(socket);
  const timer = setTimeout(() => conversation.fail(`no answer within ${timeoutMs / 1000} s`), timeoutMs);
  try {
    const greeting = await conversation.reply();
    if (greeting.code !== 220) return { ok: false, detail: `greeting was ${greeting.code}, not 220` };
    socket.write(`EHLO ${EHLO_NAME}\r\n`);
    const ehlo = await conversation.reply();
    if (ehlo.code !== 250) return { ok: false, detail: `EHLO answered ${ehlo.code}, not 250` };
    socket.write('QUIT\r\n');
    if (implicit) return { ok: true, detail: 'TLS handshake verified, SMTP greeting and EHLO answered' };
    const starttls = ehlo.lines.some((l) => /^STARTTLS\b/i.test(l));
    return starttls
      ? { ok: true, detail: 'SMTP greeting and EHLO answered, STARTTLS offered' }
      : { ok: false, detail: 'the server does not offer STARTTLS on this port' };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  } finally {
    clearTimeout(timer);
    socket.destroy();
  }
};

interface Reply {
  readonly code: number;
  /** The text of each line after the code. */
  readonly lines: string[];
}

/** Reads SMTP replies (multi-line `250-…` continuations) from a socket. */
class Conversation {
  private buffer = '';
  private waiting?: { resolve: (reply: Reply) => void; reject: (error: Error) => void };
  private failure?: Error;

  constructor(socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      this.deliver();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => this.fail(describeSocketError(error)));
    socket.on('close', () => this.fail('the server closed the connection'));
  }

  reply(): Promise<Reply> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.waiting = { resolve, reject };
      this.deliver();
    });
  }

  fail(message: string): void {
    this.failure ??= new Error(message);
    this.waiting?.reject(this.failure);
    this.waiting = undefined;
  }

  private deliver(): void {
    if (!this.waiting) return;
    const lines = this.buffer.split('\r\n');
    const end = lines.findIndex((l, i) => i < lines.length - 1 && /^\d{3}( |$)/.test(l));
    if (end < 0) return;
    const replyLines = lines.slice(0, end + 1);
    this.buffer = lines.slice(end + 1).join('\r\n');
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting.resolve({ code: Number(replyLines[end]?.slice(0, 3)), lines: replyLines.map((l) => l.slice(4)) });
  }
}

function describeSocketError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused (nothing listens on this port)';
    case 'ETIMEDOUT':
      return 'connection timed out (egress blocked? security group, NACL, NAT, or the email-smtp VPC endpoint)';
    case 'ENOTFOUND':
      return 'host name not found';
    default:
      return `${error.code ?? 'error'}: ${error.message}`;
  }
}
