import { X509Certificate } from 'node:crypto';
import { SesSmtpRotationError } from './errors';

/**
 * The extra CA certificates the SMTP check trusts besides the public roots (a TLS-inspecting proxy, a private
 * endpoint, a test endpoint). One parser for every place that takes them: the context keys and the construct prop
 * at synth, the function's environment variable at load. Parsing checks the form only; whether the certificates
 * are valid now is a separate check ({@link trustedCaValidityProblem}) made only where an SMTP login needs them,
 * so an expired CA stops rotations, never the retirement pass.
 */

/** One certificate of the bundle: only public facts, enough to name it in a message. */
export interface TrustedCertificate {
  readonly subject: string;
  readonly validFrom: Date;
  readonly validTo: Date;
}

/** A checked bundle: `pem` holds only the certificate blocks, normalised (comments and blank lines dropped). */
export interface TrustedCaBundle {
  readonly pem: string;
  readonly certificates: readonly TrustedCertificate[];
}

/** Where an operator supplies the extra CA, as error texts name it (one place, so the names cannot drift). */
export const TRUSTED_CA_SETTING =
  'construct prop smtpTrustedCaPem, CDK context key smtpTrustedCaPem or smtpTrustedCaFile, ' +
  'function variable SMTP_TRUSTED_CA_PEM';

/** What is wrong with a CA value; the message starts with a verb so the caller can prefix its setting's name. */
export class TrustedCaProblem extends SesSmtpRotationError {}

/** Lambda's limit for all environment variables of a function together, measured as their JSON text in bytes. */
export const LAMBDA_ENVIRONMENT_LIMIT_BYTES = 4096;

/** Size of a set of environment variables as Lambda measures it (the JSON object, UTF-8 bytes). */
export function lambdaEnvironmentBytes(variables: Readonly<Record<string, string>>): number {
  return Buffer.byteLength(JSON.stringify(variables), 'utf8');
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g;

/**
 * Parses one or more PEM certificates. The message of the error says what is wrong with the value and what to
 * supply instead; the caller prefixes the name of its setting. Never echoes the text (a pasted private key must not
 * end up in a log).
 * @throws TrustedCaProblem when the text holds no certificate, anything but certificates, or a block that does not
 * decode
 */
export function parseTrustedCaPem(text: string): TrustedCaBundle {
  if (/PRIVATE KEY/.test(text)) {
    throw new TrustedCaProblem(
      'contains a private key: supply only the CA certificate (-----BEGIN CERTIFICATE-----), never a key',
    );
  }
  const blocks = [...text.matchAll(BLOCK)];
  const certificates: TrustedCertificate[] = [];
  const pems: string[] = [];
  for (const [index, block] of blocks.entries()) {
    const [, type, body, endType] = block;
    if (type !== 'CERTIFICATE' || endType !== 'CERTIFICATE') {
      throw new TrustedCaProblem(
        `holds a PEM block of type ${type ?? '?'} (block ${index + 1}): only CERTIFICATE blocks are accepted`,
      );
    }
    const pem = `-----BEGIN CERTIFICATE-----\n${(body ?? '')
      .replace(/\s+/g, '')
      .replace(/(.{64})/g, '$1\n')
      .trim()}\n-----END CERTIFICATE-----\n`;
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(pem);
    } catch {
      throw new TrustedCaProblem(
        `holds a certificate that does not decode (block ${index + 1}): copy the whole PEM block of the CA certificate`,
      );
    }
    certificates.push({
      subject: oneLine(certificate.subject),
      validFrom: new Date(certificate.validFrom),
      validTo: new Date(certificate.validTo),
    });
    pems.push(pem);
  }
  if (certificates.length === 0) {
    throw new TrustedCaProblem(
      'holds no PEM certificate: supply the CA certificate that signs the SMTP endpoint, ' +
        'from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----',
    );
  }
  return { pem: pems.join(''), certificates };
}

/**
 * Parses the CA at a boundary: a problem becomes the error `refuse` builds from its message, naming that boundary's
 * setting (context key, construct prop, environment variable).
 */
export function readTrustedCa(text: string, refuse: (problem: string) => Error): TrustedCaBundle {
  try {
    return parseTrustedCaPem(text);
  } catch (error) {
    if (!(error instanceof TrustedCaProblem)) throw error;
    throw refuse(error.message);
  }
}

/**
 * Whether every certificate of the bundle is valid at `now`, as the TLS handshake will judge it.
 * @returns what is wrong, starting with a verb (the caller prefixes its setting), or undefined when all are valid
 */
export function trustedCaValidityProblem(bundle: TrustedCaBundle, now: Date): string | undefined {
  for (const [index, certificate] of bundle.certificates.entries()) {
    const name = `${index + 1} (${certificate.subject})`;
    if (certificate.validTo.getTime() < now.getTime()) {
      return `holds certificate ${name}, which expired on ${day(certificate.validTo)}: replace it with the CA's current certificate`;
    }
    if (certificate.validFrom.getTime() > now.getTime()) {
      return `holds certificate ${name}, which is not valid before ${day(certificate.validFrom)}: check the clock, or supply the CA's current certificate`;
    }
  }
  return undefined;
}

/** When the bundle stops working: the earliest end of validity among its certificates. */
export function trustedCaValidUntil(bundle: TrustedCaBundle): Date {
  return new Date(Math.min(...bundle.certificates.map((certificate) => certificate.validTo.getTime())));
}

function oneLine(subject: string): string {
  return subject.split('\n').filter(Boolean).join(', ');
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}
