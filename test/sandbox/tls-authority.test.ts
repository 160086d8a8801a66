import { X509Certificate } from 'node:crypto';
import { createServer, connect, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { createTlsAuthority } from '../../src/sandbox/tls-authority';

const authority = createTlsAuthority();

describe('createTlsAuthority', () => {
  it('creates a CA certificate that may sign certificates', () => {
    const ca = new X509Certificate(authority.caCertPem);

    expect(ca.ca).toBe(true);
    expect(ca.subject).toContain('ses-smtp-rotation sandbox CA');
  });

  it('issues a server certificate for DNS names and IP addresses, signed by the CA', () => {
    const issued = authority.issueServerCertificate(['email-smtp.eu-west-1.amazonaws.com', '127.0.0.1']);
    const cert = new X509Certificate(issued.certPem);
    const ca = new X509Certificate(authority.caCertPem);

    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.checkHost('email-smtp.eu-west-1.amazonaws.com')).toBe('email-smtp.eu-west-1.amazonaws.com');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkHost('other.example')).toBeUndefined();
    expect(issued.chainPem).toBe(issued.certPem + authority.caCertPem);
    expect(issued.keyPem).toContain('PRIVATE KEY');
  });

  it('uses ECDSA P-256 keys and covers IPv6 addresses', () => {
    const issued = authority.issueServerCertificate(['::1']);
    const cert = new X509Certificate(issued.certPem);

    expect(cert.publicKey.asymmetricKeyType).toBe('ec');
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(new X509Certificate(authority.caCertPem).publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(cert.checkIP('::1')).toBe('::1');
    expect(cert.checkIP('127.0.0.1')).toBeUndefined();
  });

  it('creates a different CA each time, whose certificates the other does not vouch for', () => {
    const other = createTlsAuthority();
    const cert = new X509Certificate(other.issueServerCertificate(['127.0.0.1']).certPem);

    expect(cert.verify(new X509Certificate(authority.caCertPem).publicKey)).toBe(false);
  });

  it('issues an already expired certificate when asked to', () => {
    const cert = new X509Certificate(authority.issueServerCertificate(['127.0.0.1'], { validDays: -1 }).certPem);

    expect(new Date(cert.validTo).getTime()).toBeLessThan(Date.now());
  });

  it('refuses to issue a certificate without any name', () => {
    expect(() => authority.issueServerCertificate([])).toThrow('at least one DNS name or IP address');
  });

  it('completes a verified TLS handshake when the client trusts the CA, and fails without it', async () => {
    const issued = authority.issueServerCertificate(['127.0.0.1']);
    const server = createServer({ key: issued.keyPem, cert: issued.chainPem }, (s) => s.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const handshake = (ca?: string) =>
      new Promise<boolean>((resolve) => {
        const socket: TLSSocket = connect({ host: '127.0.0.1', port, ...(ca && { ca }) }, () => {
          resolve(socket.authorized);
          socket.destroy();
        });
        socket.on('error', () => resolve(false));
      });

    const trusted = await handshake(authority.caCertPem);
    const untrusted = await handshake();
    await new Promise<void>((resolve) => server.close(() => resolve()));

    expect([trusted, untrusted]).toEqual([true, false]);
  });
});
