import { createSecureContext, rootCertificates, type ConnectionOptions, type SecureContext } from 'node:tls';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { TlsMode } from '../core/endpoint';
import type { ProbeTimeouts } from './settings';

/** Everything one connection attempt needs, except the credential. */
export interface AttemptSettings {
  readonly host: string;
  readonly port: number;
  readonly tlsMode: TlsMode;
  /** Name checked against the certificate (and sent as SNI) instead of the host. */
  readonly servername?: string;
  /** Extra CA certificate(s) (PEM) trusted in addition to the public roots. */
  readonly extraCaPem?: string;
  /** Trust `extraCaPem` alone (the offline sandbox). */
  readonly extraCaOnly?: boolean;
  readonly timeouts: ProbeTimeouts;
  /** SASL mechanism; default: the first the server offers (SES offers PLAIN, then LOGIN). */
  readonly authMethod?: 'PLAIN' | 'LOGIN';
}

/**
 * One fresh connection: connect → (STARTTLS) → EHLO → AUTH → QUIT. Sends no mail. Resolves when AUTH succeeded;
 * rejects with nodemailer's error otherwise. STARTTLS is mandatory in STARTTLS mode (`requireTLS`): without it the
 * credentials are never sent. Certificate and host-name verification are always on.
 */
export function authenticateOnce(settings: AttemptSettings, username: string, password: string): Promise<void> {
  const connection = new SMTPConnection({
    host: settings.host,
    port: settings.port,
    secure: settings.tlsMode === 'implicit',
    requireTLS: settings.tlsMode === 'starttls',
    ignoreTLS: false,
    opportunisticTLS: false,
    ...(settings.servername !== undefined && { servername: settings.servername }),
    connectionTimeout: settings.timeouts.connectionMs,
    greetingTimeout: settings.timeouts.greetingMs,
    socketTimeout: settings.timeouts.socketMs,
    // The probe does not need a graceful TCP close after QUIT; never keep a Lambda waiting for it.
    socketCloseTimeout: 1_000,
    // No library logging at all: a debug transcript would contain the AUTH exchange.
    logger: false,
    debug: false,
    transactionLog: false,
    tls: tlsOptions(settings),
  });

  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (error?: unknown) => {
      if (settled) return;
      settled = true;
      if (error === undefined) {
        connection.quit();
        resolve();
      } else {
        connection.close();
        reject(error);
      }
    };
    // Stays attached after settling: an error during QUIT must not become an unhandled 'error' event.
    connection.on('error', (error: unknown) => settle(error));
    connection.connect((connectError) => {
      if (connectError) return settle(connectError);
      connection.login(
        { user: username, pass: password, ...(settings.authMethod && { method: settings.authMethod }) },
        (loginError) => settle(loginError ?? undefined),
      );
    });
  });
}

function tlsOptions(settings: AttemptSettings): ConnectionOptions {
  return {
    // Explicit, so that no environment default can turn verification off.
    rejectUnauthorized: true,
    minVersion: 'TLSv1.2',
    ...(settings.servername !== undefined && { servername: settings.servername }),
    ...(settings.extraCaPem !== undefined && {
      secureContext: contextTrusting(settings.extraCaPem, settings.extraCaOnly === true),
    }),
  };
}

// Building a context with the public roots parses every one of them (~45 ms): once per extra CA, not per attempt.
const contexts = new Map<string, SecureContext>();
function contextTrusting(extraCaPem: string, only: boolean): SecureContext {
  const key = `${only ? 'only' : 'roots'}\n${extraCaPem}`;
  let context = contexts.get(key);
  if (!context) {
    const ca = only ? [extraCaPem] : [...rootCertificates, extraCaPem];
    context = createSecureContext({ ca, minVersion: 'TLSv1.2' });
    contexts.set(key, context);
  }
  return context;
}
