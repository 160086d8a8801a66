import { InvalidRegionError } from '../../src/core/errors';
import { deriveSmtpPassword, SMTP_PASSWORD_PATTERN } from '../../src/core/smtp-password';
import { SIGV2_VECTORS, SIGV4_VECTORS } from '../fixtures/smtp-password-vectors';

describe('deriveSmtpPassword', () => {
  it.each(SIGV4_VECTORS)('matches the public vector for $region ($source)', ({ region, secretAccessKey, password }) => {
    expect(deriveSmtpPassword(secretAccessKey, region)).toBe(password);
  });

  it.each(SIGV2_VECTORS)('never produces the legacy SigV2 password of a key', ({ secretAccessKey, password }) => {
    for (const region of ['eu-central-1', 'us-west-1', 'us-east-2', 'us-gov-east-1']) {
      const derived = deriveSmtpPassword(secretAccessKey, region);
      expect(derived).not.toBe(password);
      expect(derived.startsWith('B')).toBe(true);
    }
  });

  it('returns 44 characters starting with B for any secret', () => {
    for (const secret of ['', 'x', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'ü'.repeat(100)]) {
      const password = deriveSmtpPassword(secret, 'eu-west-1');
      expect(password).toHaveLength(44);
      expect(password).toMatch(SMTP_PASSWORD_PATTERN);
    }
  });

  it('differs per region for the same key', () => {
    const regions = ['eu-west-1', 'eu-west-2', 'us-east-1', 'il-central-1', 'ap-northeast-3', 'us-gov-east-1'];
    const passwords = regions.map((r) => deriveSmtpPassword('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', r));
    expect(new Set(passwords).size).toBe(regions.length);
  });

  it.each(['EU-West-1', 'eu_west_1', '', 'eu-west'])('throws for the malformed region "%s"', (region) => {
    expect(() => deriveSmtpPassword('some+secret+key', region)).toThrow(InvalidRegionError);
  });
});
