import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import type { ServerCertificate } from './tls-authority';

/** What the sandbox endpoint answers to one AUTH: 235, 535 or 454 — the three replies SES gives. */
export type AuthVerdict = 'accept' | 'reject' | 'temporary';

/** Decides one AUTH. Receives the password only to compare it; the endpoint never stores it. */
export type AuthDecider = (username: string, password: string) => AuthVerdict | Promise<AuthVerdict>;

/** One AUTH command the endpoint saw: no password, only what a test or the demo may show. */
export interface AuthAttempt {
  readonly username: string;
  readonly method: string;
  readonly verdict: AuthVerdict;
  /** True when the AUTH arrived over TLS (STARTTLS or implicit TLS). */
  readonly secure: boolean;
}

/** Options of {@link SesLikeSmtpEndpoint}. */
export interface SmtpEndpointOptions {
  /** Certificate presented by the endpoint (see `createTlsAuthority`). */
  readonly certificate: ServerCertificate;
  readonly authenticate: AuthDecider;
  /** Host name announced in the greeting (default `email-smtp.sandbox.local`). */
  readonly name?: string;
  /**
   * Offer STARTTLS (default true). When false, the endpoint also accepts AUTH in plain text, so that a client that
   * wrongly sends credentials unencrypted shows up in {@link SesLikeSmtpEndpoint.authAttempts}.
   */
  readonly startTls?: boolean;
  /** Also listen for implicit TLS (the 465/2465 mode) on a second ephemeral port. */
  readonly implicitTls?: boolean;
  /** AUTH mechanisms advertised (default PLAIN and LOGIN, as SES does). */
  readonly authMethods?: readonly ('PLAIN' | 'LOGIN')[];
}

const LOOPBACK = '127.0.0.1';

/**
 * An SES-like SMTP endpoint on loopback for tests and the offline demo: STARTTLS (and optionally implicit TLS)
 * with a given certificate, AUTH PLAIN/LOGIN decided by an injected callback with SES's reply texts, and no mail
 * accepted at all. It logs nothing and keeps no password.
 */
export class SesLikeSmtpEndpoint {
  private readonly attempts: AuthAttempt[] = [];
  private readonly servers: SMTPServer[] = [];
  private ports: { starttls?: number; implicit?: number } = {};

  constructor(private readonly options: SmtpEndpointOptions) {}

  /** Starts the listeners on 127.0.0.1 (ephemeral ports) and returns the STARTTLS (plain-connect) port. */
  async start(): Promise<number> {
    if (this.servers.length > 0) throw new Error('the sandbox SMTP endpoint is already started');
    const starttls = this.createServer(false);
    this.ports.starttls = await listen(starttls);
    if (this.options.implicitTls) {
      const implicit = this.createServer(true);
      this.ports.implicit = await listen(implicit);
    }
    return this.ports.starttls;
  }

  /** Stops every listener and drops open connections quickly. */
  async stop(): Promise<void> {
    const servers = this.servers.splice(0);
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    this.ports = {};
  }

  /** The port of the plain-connect listener (STARTTLS, or no TLS at all with `startTls: false`). */
  get port(): number {
    return required(this.ports.starttls, 'the endpoint is not started');
  }

  /** The port of the implicit-TLS listener (only with `implicitTls: true`). */
  get implicitTlsPort(): number {
    return required(this.ports.implicit, 'the endpoint was not started with implicitTls: true');
  }

  /** Every AUTH seen so far, oldest first (a copy). */
  get authAttempts(): readonly AuthAttempt[] {
    return [...this.attempts];
  }

  /** How many AUTH commands reached the endpoint. */
  get authAttemptCount(): number {
    return this.attempts.length;
  }

  private createServer(implicit: boolean): SMTPServer {
    const startTls = this.options.startTls ?? true;
    const serverOptions: SMTPServerOptions = {
      secure: implicit,
      key: this.options.certificate.keyPem,
      cert: this.options.certificate.chainPem,
      name: this.options.name ?? 'email-smtp.sandbox.local',
      banner: 'SimpleEmailService-sandbox',
      logger: false,
      authMethods: [...(this.options.authMethods ?? ['PLAIN', 'LOGIN'])],
      disabledCommands: startTls || implicit ? [] : ['STARTTLS'],
      allowInsecureAuth: !startTls && !implicit,
      closeTimeout: 200,
      // No reverse DNS of the client: loopback only, and the lookup costs a round trip per connection.
      disableReverseLookup: true,
      socketTimeout: 30_000,
      onAuth: (auth, session, callback) => {
        void this.decide(auth.method, auth.username ?? '', auth.password ?? '', session).then(
          (verdict) => {
            if (verdict === 'accept') return callback(null, { user: auth.username });
            callback(replyError(verdict));
          },
          () => callback(replyError('temporary')),
        );
      },
      onMailFrom: (_address, _session, callback) => callback(replyError('no-mail')),
      onRcptTo: (_address, _session, callback) => callback(replyError('no-mail')),
      onData: (stream, _session, callback) => {
        stream.resume();
        stream.on('end', () => callback(replyError('no-mail')));
      },
    };
    const server = new SMTPServer(serverOptions);
    // Client-side aborts (timeouts, TLS refusals) surface here; a test endpoint stays quiet and keeps running.
    server.on('error', () => undefined);
    this.servers.push(server);
    return server;
  }

  private async decide(method: string, username: string, password: string, session: SMTPServerSession) {
    let verdict: AuthVerdict;
    try {
      verdict = await this.options.authenticate(username, password);
    } catch {
      verdict = 'temporary';
    }
    this.attempts.push({ username, method, verdict, secure: session.secure });
    return verdict;
  }
}

// SES's reply texts (SES Developer Guide, "Amazon SES SMTP issues").
function replyError(kind: 'reject' | 'temporary' | 'no-mail'): Error & { responseCode: number } {
  const replies = {
    reject: [535, 'Authentication Credentials Invalid'],
    temporary: [454, 'Temporary authentication failure'],
    'no-mail': [554, 'This sandbox endpoint only checks authentication and accepts no mail'],
  } as const;
  const [code, text] = replies[kind];
  return Object.assign(new Error(text), { responseCode: code });
}

function listen(server: SMTPServer): Promise<number> {
  return new Promise((resolve, reject) => {
    const net = server.listen(0, LOOPBACK, () => resolve((net.address() as AddressInfo).port));
    net.once('error', reject);
  });
}

function required(value: number | undefined, message: string): number {
  if (value === undefined) throw new Error(message);
  return value;
}
