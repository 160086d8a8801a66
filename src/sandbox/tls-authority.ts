import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

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

/**
 * Creates a fresh CA for one test run or demo. Keys come from Node's native RSA generator (milliseconds,
 * where node-forge's pure JavaScript one takes seconds); node-forge only builds and signs the certificates.
 *
 * @param commonName the CA's subject name, shown in TLS errors (default "ses-smtp-rotation sandbox CA")
 */
export function createTlsAuthority(commonName = 'ses-smtp-rotation sandbox CA'): TlsAuthority {
  const caKeys = rsaKeyPair();
  const ca = forge.pki.createCertificate();
  ca.publicKey = caKeys.publicKey;
  ca.serialNumber = serialNumber();
  setValidity(ca, 1);
  const caSubject = [{ name: 'commonName', value: commonName }];
  ca.setSubject(caSubject);
  ca.setIssuer(caSubject);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());
  const caCertPem = forge.pki.certificateToPem(ca);

  return {
    caCertPem,
    issueServerCertificate(names, options = {}) {
      if (names.length === 0) {
        throw new Error('a server certificate needs at least one DNS name or IP address');
      }
      const keys = rsaKeyPair();
      const cert = forge.pki.createCertificate();
      cert.publicKey = keys.publicKey;
      cert.serialNumber = serialNumber();
      setValidity(cert, options.validDays ?? 1);
      cert.setSubject([{ name: 'commonName', value: names[0] ?? 'localhost' }]);
      cert.setIssuer(ca.subject.attributes);
      cert.setExtensions([
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        // Clients match host names against subjectAltName only; type 2 = DNS name, type 7 = IP address.
        { name: 'subjectAltName', altNames: names.map((n) => (isIP(n) ? { type: 7, ip: n } : { type: 2, value: n })) },
        { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
      ]);
      cert.sign(caKeys.privateKey, forge.md.sha256.create());
      const certPem = forge.pki.certificateToPem(cert);
      return { certPem, keyPem: forge.pki.privateKeyToPem(keys.privateKey), chainPem: certPem + caCertPem };
    },
  };
}

function rsaKeyPair(): { publicKey: forge.pki.rsa.PublicKey; privateKey: forge.pki.rsa.PrivateKey } {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const forgePrivate = forge.pki.privateKeyFromPem(privateKey);
  return { privateKey: forgePrivate, publicKey: forge.pki.setRsaPublicKey(forgePrivate.n, forgePrivate.e) };
}

// A positive 16-byte serial: the leading nibble is cleared so the DER integer is never read as negative.
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

function setValidity(cert: forge.pki.Certificate, days: number): void {
  const now = Date.now();
  // Backdated a little so that a clock skew between the test process and the TLS stack does not matter.
  cert.validity.notBefore = new Date(Math.min(now, now + days * DAY_MS) - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now + days * DAY_MS);
}
