import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandDocument } from '../../../src/documents/assemble';
import { readShippedDocument } from '../../../src/documents/shipped';
import { runShellStep, type StepRun } from './agent';
import { createFakeAws, type FakeAws } from './fake-aws';
import {
  createPostfixInstance,
  postfixUnavailableReason,
  type MapType,
  type PostfixInstance,
} from './postfix-instance';
import { startTestRelay, type TestRelay } from './test-relay';
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

/** Everything one test file needs: relay, Postfix instance, fake AWS CLI, and the shipped document. */
export interface Scenario {
  readonly relay: TestRelay;
  readonly postfix: PostfixInstance;
  readonly aws: FakeAws;
  readonly document: CommandDocument;
  /**
   * Stores `credential` as a new secret version and returns its version id; `additionalRegions` (the same user's
   * passwords for other regions' endpoints) are written as the rotation writes them: last.
   */
  storeVersion(credential: TestCredential, endpoint?: string, additionalRegions?: readonly RegionEntry[]): string;
  /** Runs the Linux step with SecretArn + VersionId (+ extra parameters) like the agent; records the output. */
  runStep(versionId: string, options?: RunOptions): Promise<StepRun>;
  /** Every credential a test used: the output scan looks for each password. */
  readonly secretsUsed: TestCredential[];
  /** Sends one message through Postfix and waits until the relay has it; returns the user it authenticated as. */
  deliver(subject: string): Promise<string>;
  destroy(): Promise<void>;
}

/** Options of one run of the step. */
export interface RunOptions {
  readonly parameters?: Record<string, string>;
  readonly legacyAgent?: boolean;
  /** Directories put before the normal PATH (after the fake aws). */
  readonly pathPrefix?: string[];
  /** Replace the PATH entirely (after the fake aws). */
  readonly path?: string;
  /** Leave MAIL_CONFIG unset (the PostfixConfigDir parameter must then name the instance). */
  readonly withoutMailConfig?: boolean;
}

/** Starts relay + Postfix (with `initial` installed and accepted) for one test file. */
export async function startScenario(mapType: MapType, initial: TestCredential): Promise<Scenario> {
  const work = mkdtempSync(join(tmpdir(), 'ses-smtp-rotation-scenario-'));
  const relay = await startTestRelay('localhost');
  relay.accepted = [initial];
  let postfix: PostfixInstance | undefined;
  try {
    postfix = await createPostfixInstance({ relayPort: relay.port, caPem: relay.caPem, mapType });
    const pf = postfix;
    pf.writeMap(`# SES relay\n${pf.relayhost} ${initial.user}:${initial.pass}\n`);
    pf.start();
    const aws = createFakeAws(work, SECRET_ARN);
    const document = readShippedDocument();
    const secretsUsed: TestCredential[] = [initial];
    return {
      relay,
      postfix: pf,
      aws,
      document,
      secretsUsed,
      storeVersion: (credential, endpoint = 'localhost', additionalRegions = []) =>
        storeCredentialVersion(aws, secretsUsed, { credential, endpoint, port: relay.port, additionalRegions }),
      async runStep(versionId, options = {}) {
        const basePath = options.path ?? pf.env().PATH ?? '';
        const path = [aws.binDir, ...(options.pathPrefix ?? []), basePath].join(':');
        const env = pf.env({ PATH: path });
        if (options.withoutMailConfig) delete env.MAIL_CONFIG;
        return runShellStep(
          document,
          'updateLinuxRelay',
          { SecretArn: SECRET_ARN, VersionId: versionId, ...options.parameters },
          env,
          { legacyAgent: options.legacyAgent },
        );
      },
      async deliver(subject) {
        await pf.send(subject);
        return (await relay.waitForMessage(subject)).authUser;
      },
      async destroy() {
        try {
          pf.destroy();
        } finally {
          await relay.close();
          rmSync(work, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    postfix?.destroy();
    await relay.close();
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
}

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
 * when given) and records its passwords for the leak scans. Shared by the Postfix and the Exim/Sendmail scenarios.
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
