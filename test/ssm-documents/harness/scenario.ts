import { randomBytes, randomUUID } from 'node:crypto';
import type { StepRun } from './agent';
import type { FakeAws } from './fake-aws';
import { postfixUnavailableReason } from './postfix-instance';
import { describeWhenAvailable } from './peers';

/** A credential as the rotation stores it (random per test run: nothing real, nothing committed). */
export interface TestCredential {
  readonly user: string;
  readonly pass: string;
}

/** Makes an AKIA… key id and a 44-character SigV4-shaped SMTP password. */
export function newCredential(): TestCredential {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const id = [...randomBytes(16)].map((b) => alphabet[b % 32]).join('');
  return { user: `AKIA${id}`, pass: `B${randomBytes(33).toString('base64').slice(0, 43)}` };
}

/** One entry of the secret's additionalRegions. */
export interface RegionEntry {
  readonly region: string;
  readonly endpoint: string;
  readonly password: string;
}

export const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ses-smtp-credential-AbCdEf';

/** Asserts that no password (nor its AUTH PLAIN encoding) appears in a run's stdout or stderr. */
export function expectNoSecretIn(run: StepRun, credentials: readonly TestCredential[]): void {
  const output = run.stdout + run.stderr;
  for (const { user, pass } of credentials) {
    expect(output).not.toContain(pass);
    expect(output).not.toContain(Buffer.from(`\0${user}\0${pass}`).toString('base64'));
  }
}

/** `describe` for tests that need a real Postfix (see {@link describeWhenAvailable}). */
export function describeWithPostfix(name: string, body: () => void): void {
  describeWhenAvailable('a real Postfix', postfixUnavailableReason(), name, body);
}

/**
 * Stores a new version holding `credential` as the rotation writes it (primary fields, then `additionalRegions`
 * when given) and records its passwords for the leak scans (see mta-scenario.ts).
 * @returns the version id
 */
export function storeCredentialVersion(
  aws: FakeAws,
  secretsUsed: TestCredential[],
  version: { credential: TestCredential; endpoint: string; port: number; additionalRegions: readonly RegionEntry[] },
): string {
  const { credential, endpoint, port, additionalRegions } = version;
  const versionId = randomUUID();
  secretsUsed.push(credential, ...additionalRegions.map((r) => ({ user: credential.user, pass: r.password })));
  aws.putVersion(
    versionId,
    JSON.stringify({
      username: credential.user,
      password: credential.pass,
      region: 'eu-west-1',
      endpoint,
      port,
      iamUserName: 'ses-smtp-sender',
      ...(additionalRegions.length > 0 && { additionalRegions }),
    }),
  );
  return versionId;
}
