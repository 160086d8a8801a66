import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';
import { SMTPServer } from 'smtp-server';

/** A user name / password pair the relay accepts. */
export interface RelayCredential {
  readonly user: string;
  readonly pass: string;
}

/** One message the relay received, with the user it authenticated as. */
export interface RelayMessage {
  readonly authUser: string;
  readonly subject: string;
}

/**
 * An SES-like SMTP relay on 127.0.0.1 for the document tests: STARTTLS with a certificate for `localhost` from a CA
 * made at start-up, AUTH required (only the credentials in {@link accepted}), messages recorded with their user.
 */
export interface TestRelay {
  readonly port: number;
  /** The CA certificate (PEM) Postfix and openssl must trust. */
  readonly caPem: string;
  /** Credentials accepted right now; tests change this to model keys being created and retired. */
  accepted: RelayCredential[];
  readonly messages: RelayMessage[];
  /** Every AUTH attempt: user name and whether it succeeded (passwords are never recorded). */
  readonly authAttempts: { user: string; ok: boolean }[];
  /** Resolves with the first message whose subject is `subject`, or rejects after `timeoutMs`. */
  waitForMessage(subject: string, timeoutMs?: number): Promise<RelayMessage>;
  close(): Promise<void>;
}

/** Starts a relay with a fresh CA; `host` is the name in its certificate. */
export async function startTestRelay(host = 'localhost'): Promise<TestRelay> {
  const { caPem, certPem, keyPem } = issueCertificate(host);
  const messages: RelayMessage[] = [];
  const authAttempts: { user: string; ok: boolean }[] = [];
  const relay = { accepted: [] as RelayCredential[] };
  const server = new SMTPServer({
    name: 'relay.test',
    secure: false,
    key: keyPem,
    cert: certPem,
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: false,
    logger: false,
    disableReverseLookup: true,
    onAuth(auth, _session, callback) {
      const ok = relay.accepted.some((c) => c.user === auth.username && c.pass === auth.password);
      authAttempts.push({ user: auth.username ?? '', ok });
      if (!ok) {
        const error = Object.assign(new Error('Authentication Credentials Invalid'), { responseCode: 535 });
        return callback(error);
      }
      return callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const subject = /^Subject: (.*)$/m.exec(text)?.[1]?.trim() ?? '';
        messages.push({ authUser: String(session.user ?? ''), subject });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return Object.assign(relay, {
    port,
    caPem,
    messages,
    authAttempts,
    async waitForMessage(subject: string, timeoutMs = 15_000): Promise<RelayMessage> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find((m) => m.subject === subject);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`relay received no message "${subject}" within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

function issueCertificate(host: string): { caPem: string; certPem: string; keyPem: string } {
  const caKey = rsaKey();
  const ca = certificate(caKey, 'ses-smtp-rotation document test CA');
  ca.setIssuer(ca.subject.attributes);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
  ]);
  ca.sign(caKey, forge.md.sha256.create());
  const serverKey = rsaKey();
  const cert = certificate(serverKey, host);
  cert.setIssuer(ca.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 2, value: host }] },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return {
    caPem: forge.pki.certificateToPem(ca),
    certPem: forge.pki.certificateToPem(cert),
    keyPem: forge.pki.privateKeyToPem(serverKey),
  };
}

function certificate(key: forge.pki.rsa.PrivateKey, commonName: string): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = new Date(Date.now() - 3_600_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  cert.setSubject([{ name: 'commonName', value: commonName }]);
  return cert;
}

// Node's native generator takes milliseconds where node-forge's takes seconds.
function rsaKey(): forge.pki.rsa.PrivateKey {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return forge.pki.privateKeyFromPem(privateKey);
}
