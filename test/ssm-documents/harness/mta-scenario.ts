import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandDocument } from '../../../src/documents/assemble';
import { readShippedDocument } from '../../../src/documents/shipped';
import { runShellStep, type StepRun } from './agent';
import { createFakeAws, type FakeAws } from './fake-aws';
import { relaxedDocument } from './injection';
import type { MtaInstance } from './mta-instance';
import { SECRET_ARN, storeCredentialVersion, type RegionEntry, type TestCredential } from './scenario';
import { startTestRelay, type TestRelay } from './test-relay';

/** Relay + one throw-away Postfix, Exim or Sendmail + fake AWS CLI + the shipped document, for one test file. */
export interface MtaScenario<I extends MtaInstance = MtaInstance> {
  readonly relay: TestRelay;
  readonly mta: I;
  readonly aws: FakeAws;
  readonly document: CommandDocument;
  readonly secretsUsed: TestCredential[];
  /** The host name in the relay's certificate (the secret's endpoint). */
  readonly relayName: string;
  /** Stores a version; `additionalRegions` are written last, as the rotation writes them. */
  storeVersion(credential: TestCredential, endpoint?: string, additionalRegions?: readonly RegionEntry[]): string;
  /** Runs the Linux step like the agent, with the instance's parameters unless overridden. */
  runStep(versionId: string, options?: MtaRunOptions): Promise<StepRun>;
  /** Sends one message through the MTA and waits until the relay has it; returns the user it authenticated as. */
  deliver(subject: string): Promise<string>;
  destroy(): Promise<void>;
}

export interface MtaRunOptions {
  readonly parameters?: Record<string, string>;
  /** Directories put before the instance's commands on PATH. */
  readonly pathPrefix?: string[];
  /** Replace the base PATH (after the fake aws and the instance's commands). */
  readonly basePath?: string;
  /** Leave the instance's directories off PATH (a host without this MTA). */
  readonly withoutMta?: boolean;
  /** Leave the instance's {@link MtaInstance.environment} out (its parameters must then find it). */
  readonly withoutEnvironment?: boolean;
  /** Run the document with every allowedPattern relaxed (to test the script's own checks behind SSM's). */
  readonly relaxed?: boolean;
  /** An agent older than ENV_VAR support: `{{ }}` text substitution only. */
  readonly legacyAgent?: boolean;
}

/** The PATH besides the instance's commands: /usr/sbin (where Debian's Postfix lives here) is left out. */
const BASE_PATH = '/usr/local/bin:/usr/bin:/bin';

/** Starts the relay (certificate for `relayName`) and an instance made by `create`, with `initial` installed. */
export async function startMtaScenario<I extends MtaInstance>(
  relayName: string,
  create: (relay: TestRelay) => Promise<I>,
  initialText: (mta: I) => string,
  initial: TestCredential,
): Promise<MtaScenario<I>> {
  const work = mkdtempSync(join(tmpdir(), 'ses-smtp-rotation-scenario-'));
  const relay = await startTestRelay(relayName);
  relay.accepted = [initial];
  let mta: I | undefined;
  try {
    mta = await create(relay);
    const m = mta;
    m.writeCredentials(initialText(m));
    m.start();
    const aws = createFakeAws(work, SECRET_ARN);
    const document = readShippedDocument();
    const secretsUsed: TestCredential[] = [initial];
    return {
      relay,
      mta: m,
      aws,
      document,
      secretsUsed,
      relayName,
      storeVersion: (credential, endpoint = relayName, additionalRegions = []) =>
        storeCredentialVersion(aws, secretsUsed, { credential, endpoint, port: relay.port, additionalRegions }),
      async runStep(versionId, options = {}) {
        const path = [
          aws.binDir,
          ...(options.pathPrefix ?? []),
          ...(options.withoutMta ? [] : m.binDirs),
          options.basePath ?? BASE_PATH,
        ].join(':');
        return runShellStep(
          options.relaxed ? relaxedDocument(document) : document,
          'updateLinuxRelay',
          { SecretArn: SECRET_ARN, VersionId: versionId, ...m.parameters, ...options.parameters },
          { PATH: path, LANG: 'C', ...(options.withoutEnvironment ? {} : m.environment) },
          { wrap: m.wrap, legacyAgent: options.legacyAgent },
        );
      },
      async deliver(subject) {
        await m.send(subject);
        return (await relay.waitForMessage(subject)).authUser;
      },
      async destroy() {
        try {
          m.destroy();
        } finally {
          await relay.close();
          rmSync(work, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    mta?.destroy();
    await relay.close();
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
}
