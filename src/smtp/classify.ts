/**
 * Sorts what went wrong in one SMTP attempt into the cases an operator acts on differently. Pure: reads the fields
 * nodemailer puts on its errors (`code`, `originalCode`, `responseCode`, `response`, `command`, `timeoutType`).
 */

/** The kinds of failure, each with its own explanation and retry rule. */
export type FailureKind =
  /** 535: wrong credentials, or a brand-new key SES does not know yet. */
  | 'rejected'
  /** 454: SES could not check the credentials right now. */
  | 'temporary'
  /** 535 Account not subscribed to SES. */
  | 'not-subscribed'
  /** 530: authentication required. */
  | 'auth-required'
  /** 554: authenticated but not authorised (ses:SendRawEmail). */
  | 'not-authorized'
  /** The server did not offer or refused STARTTLS. */
  | 'starttls-missing'
  /** TLS handshake, certificate or host-name verification failed. */
  | 'tls'
  | 'timeout'
  /** The host name does not resolve. */
  | 'dns'
  /** Connection refused, reset, closed or unreachable. */
  | 'network'
  /** Any other reply or protocol problem. */
  | 'protocol';

/** One classified failure: no secret, only codes and the server's reply text. */
export interface Failure {
  readonly kind: FailureKind;
  /** SMTP reply code, when the server answered. */
  readonly responseCode?: number;
  /** The server's reply line (never contains the password: servers do not echo credentials). */
  readonly response?: string;
  /** The system or TLS error code, e.g. ECONNREFUSED, ENOTFOUND, ERR_TLS_CERT_ALTNAME_INVALID. */
  readonly systemCode?: string;
  /** Which nodemailer timeout fired: CONNECT_TIMEOUT, GREETING_TIMEOUT, UPGRADE_TIMEOUT, SOCKET_TIMEOUT. */
  readonly timeoutType?: string;
  /** Short technical detail (the library's message). */
  readonly detail: string;
}

/** Only 535 and 454 can turn into success by waiting: a new key propagating, a transient SES problem. */
export function isRetryable(kind: FailureKind): boolean {
  return kind === 'rejected' || kind === 'temporary';
}

const TLS_CODE =
  /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH|EPROTO$)/;
const TLS_TEXT =
  /certificate|altnames|self[- ]signed|wrong version number|ssl|tls handshake|unable to verify|unable to get local issuer/i;
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
  'EADDRNOTAVAIL',
]);
// nodemailer replaces a system code with one of its own and keeps the original in `originalCode`.
const NODEMAILER_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'EPROTOCOL',
  'EAUTH',
  'ENOAUTH',
]);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'ENODATA']);

/** Classifies an error thrown by one connection attempt. */
export function classifyFailure(error: unknown): Failure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const code = str(e.code);
  const systemCode = str(e.originalCode) ?? (code !== undefined && !NODEMAILER_CODES.has(code) ? code : undefined);
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const response = str(e.response)?.trim();
  const command = str(e.command);
  const detail = error instanceof Error ? error.message : String(error);
  const base = {
    ...(responseCode !== undefined && { responseCode }),
    ...(response !== undefined && { response }),
    ...(systemCode !== undefined && { systemCode }),
    detail,
  };

  if (code === 'ETIMEDOUT' || systemCode === 'ETIMEDOUT') {
    return { kind: 'timeout', ...base, ...(str(e.timeoutType) !== undefined && { timeoutType: str(e.timeoutType) }) };
  }
  if (code === 'EDNS' || (systemCode !== undefined && DNS_CODES.has(systemCode))) return { kind: 'dns', ...base };
  if (command === 'STARTTLS' && responseCode !== undefined) return { kind: 'starttls-missing', ...base };
  if (/does not support required STARTTLS/i.test(detail)) return { kind: 'starttls-missing', ...base };
  if (responseCode !== undefined && (code === 'EAUTH' || command?.startsWith('AUTH'))) {
    return { kind: replyKind(responseCode, response ?? ''), ...base };
  }
  if (code === 'ETLS' || (systemCode !== undefined && TLS_CODE.test(systemCode)) || TLS_TEXT.test(detail)) {
    return { kind: 'tls', ...base };
  }
  if (responseCode !== undefined) return { kind: replyKind(responseCode, response ?? ''), ...base };
  if (code === 'ECONNECTION' || code === 'ESOCKET' || (systemCode !== undefined && NETWORK_CODES.has(systemCode))) {
    return { kind: 'network', ...base };
  }
  return { kind: 'protocol', ...base };
}

function replyKind(responseCode: number, response: string): FailureKind {
  if (responseCode === 535 && /not subscribed/i.test(response)) return 'not-subscribed';
  if (responseCode === 535) return 'rejected';
  if (responseCode === 454) return 'temporary';
  if (responseCode === 530) return 'auth-required';
  if (responseCode === 554) return 'not-authorized';
  return 'protocol';
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
