import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import {
  bitString,
  boolean,
  contextTag,
  integer,
  namedBits,
  octetString,
  oid,
  sequence,
  set,
  time,
  utf8String,
  type Der,
} from './der';

/** A throw-away certificate authority, created in memory and never written to disk. */
export interface TlsAuthority {
  /** The CA certificate (PEM): what a client must trust, e.g. the probe's `extraCaPem`. */
  readonly caCertPem: string;
  /** Issues a server certificate for the given DNS names and/or IP addresses. */
  issueServerCertificate(names: readonly string[], options?: IssueOptions): ServerCertificate;
}

/** Options for one issued certificate. */
export interface IssueOptions {
  /** Validity in days from now (default 1). A negative value yields an already expired certificate. */
  readonly validDays?: number;
}

/** A server certificate and its private key, ready for `tls.createServer` / smtp-server. */
export interface ServerCertificate {
  readonly certPem: string;
  readonly keyPem: string;
  /** The certificate followed by the CA certificate, as servers usually present it. */
  readonly chainPem: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
};

/** KeyUsage bits (RFC 5280 §4.2.1.3; bit 0 is the most significant). */
const DIGITAL_SIGNATURE = 0x80;
const KEY_CERT_SIGN = 0x04;
const CRL_SIGN = 0x02;

/**
 * Creates a fresh CA for one test run or demo. Keys are ECDSA P-256 from Node's native crypto (well under a
 * millisecond each, where 2048-bit RSA takes tens), and certificates are encoded directly in DER and signed with
 * Node's `sign`: no X.509 library, nothing asynchronous, nothing written to disk.
 *
 * @param commonName the CA's subject name, shown in TLS errors (default "ses-smtp-rotation sandbox CA")
 * @param options.validDays the CA certificate's validity in days from now (default 1: a test's or demo's lifetime)
 */
export function createTlsAuthority(
  commonName = 'ses-smtp-rotation sandbox CA',
  options: { readonly validDays?: number } = {},
): TlsAuthority {
  const caKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const caName = name(commonName);
  const caKeyId = keyIdentifier(caKeys.publicKey);
  const caCertPem = toPem(
    certificate(
      {
        serial: serialNumber(),
        issuer: caName,
        subject: caName,
        validDays: options.validDays ?? 1,
        publicKey: caKeys.publicKey,
        extensions: [
          extension(OID.basicConstraints, sequence(boolean(true)), true),
          extension(OID.keyUsage, namedBits(KEY_CERT_SIGN | CRL_SIGN), true),
          extension(OID.subjectKeyIdentifier, octetString(caKeyId)),
        ],
      },
      caKeys.privateKey,
    ),
  );

  return {
    caCertPem,
    issueServerCertificate(names, options = {}) {
      if (names.length === 0) {
        throw new Error('a server certificate needs at least one DNS name or IP address');
      }
      const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const der = certificate(
        {
          serial: serialNumber(),
          issuer: caName,
          subject: name(names[0] ?? 'localhost'),
          validDays: options.validDays ?? 1,
          publicKey: keys.publicKey,
          extensions: [
            extension(OID.basicConstraints, sequence()),
            extension(OID.keyUsage, namedBits(DIGITAL_SIGNATURE), true),
            extension(OID.extKeyUsage, sequence(oid(OID.serverAuth))),
            // Clients match host names against subjectAltName only.
            extension(OID.subjectAltName, sequence(...names.map(generalName))),
            extension(OID.authorityKeyIdentifier, sequence(contextTag(0, caKeyId, false))),
          ],
        },
        caKeys.privateKey,
      );
      const certPem = toPem(der);
      const keyPem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      return { certPem, keyPem, chainPem: certPem + caCertPem };
    },
  };
}

interface CertificateFields {
  readonly serial: Buffer;
  readonly issuer: Der;
  readonly subject: Der;
  readonly validDays: number;
  readonly publicKey: KeyObject;
  readonly extensions: readonly Der[];
}

/** An X.509 v3 certificate (RFC 5280 §4.1), signed ECDSA with SHA-256 by `signer`. */
function certificate(fields: CertificateFields, signer: KeyObject): Buffer {
  const algorithm = sequence(oid(OID.ecdsaWithSha256));
  const now = Date.now();
  const notAfter = now + fields.validDays * DAY_MS;
  // Backdated a little so that a clock skew between the test process and the TLS stack does not matter.
  const notBefore = Math.min(now, notAfter) - 60 * 60 * 1000;
  const tbs = sequence(
    contextTag(0, integer(Buffer.from([2])), true), // version v3
    integer(fields.serial),
    algorithm,
    fields.issuer,
    sequence(time(new Date(notBefore)), time(new Date(notAfter))),
    fields.subject,
    fields.publicKey.export({ type: 'spki', format: 'der' }),
    contextTag(3, sequence(...fields.extensions), true),
  );
  return sequence(tbs, algorithm, bitString(sign('sha256', tbs, signer)));
}

function extension(id: string, value: Der, critical = false): Der {
  return sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));
}

function name(commonName: string): Der {
  return sequence(set(sequence(oid(OID.commonName), utf8String(commonName))));
}

/** A subjectAltName entry: `[7]` iPAddress (4 or 16 bytes) or `[2]` dNSName. */
function generalName(value: string): Der {
  const family = isIP(value);
  if (family === 0) return contextTag(2, Buffer.from(value, 'ascii'), false);
  return contextTag(7, family === 4 ? Buffer.from(value.split('.').map(Number)) : ipv6Bytes(value), false);
}

function ipv6Bytes(address: string): Buffer {
  const [head = '', tail = ''] = address.split('::');
  const parts = (s: string) => (s === '' ? [] : s.split(':'));
  const given = [...parts(head), ...parts(tail)];
  const groups = address.includes('::')
    ? [...parts(head), ...Array<string>(8 - given.length).fill('0'), ...parts(tail)]
    : given;
  return Buffer.from(groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits (the uncompressed EC point). */
function keyIdentifier(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  const point = Buffer.concat([
    Buffer.from([4]),
    Buffer.from(jwk.x ?? '', 'base64url'),
    Buffer.from(jwk.y ?? '', 'base64url'),
  ]);
  return createHash('sha1').update(point).digest();
}

// A positive 16-byte serial whose first byte is never 0, so its DER form is always 16 bytes.
function serialNumber(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = 0x40 | ((bytes[0] ?? 0) & 0x3f);
  return bytes;
}

function toPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}
