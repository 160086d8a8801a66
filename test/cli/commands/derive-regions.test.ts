import { main } from '../../../src/cli/main';
import { deriveSmtpPassword } from '../../../src/core/smtp-password';
import { SIGV4_VECTORS } from '../../fixtures/smtp-password-vectors';
import { fakeIo } from '../fake-io';

const VECTOR = SIGV4_VECTORS[4]!; // AWS's documented example key, us-east-2
// The derivation itself is proven against the public vectors in test/core; here: one password per region.
const DR_PASSWORD = deriveSmtpPassword(VECTOR.secretAccessKey, 'us-west-2');

describe('derive --region a,b', () => {
  it('prints one "region password" line per region, the primary first', async () => {
    const io = fakeIo(`${VECTOR.secretAccessKey}\n`);
    expect(await main(['derive', '--region', 'us-east-2,us-west-2'], io)).toBe(0);
    expect(io.out()).toBe(`us-east-2 ${VECTOR.password}\nus-west-2 ${DR_PASSWORD}\n`);
    expect(DR_PASSWORD).not.toBe(VECTOR.password);
  });

  it('prints the fields the rotation stores in the secret with --json', async () => {
    const io = fakeIo(VECTOR.secretAccessKey);
    expect(await main(['derive', '--region', 'us-east-2, us-west-2', '--json'], io)).toBe(0);
    expect(JSON.parse(io.out())).toEqual({
      region: 'us-east-2',
      endpoint: 'email-smtp.us-east-2.amazonaws.com',
      password: VECTOR.password,
      additionalRegions: [
        { region: 'us-west-2', endpoint: 'email-smtp.us-west-2.amazonaws.com', password: DR_PASSWORD },
      ],
    });
  });

  it.each([
    ['the primary twice', 'us-east-2,us-east-2', 'is the primary SES region'],
    ['a region without an SMTP endpoint', 'us-east-2,af-south-1', 'has no SES SMTP endpoint'],
    ['a region listed twice', 'us-east-2,us-west-2,us-west-2', 'listed twice'],
  ])('refuses %s before reading the key (exit 2)', async (_what, regions, message) => {
    const io = fakeIo(VECTOR.secretAccessKey);
    expect(await main(['derive', '--region', regions], io)).toBe(2);
    expect(io.err()).toContain(message);
    expect(io.out()).toBe('');
    expect(io.err()).not.toContain(VECTOR.secretAccessKey);
  });
});
