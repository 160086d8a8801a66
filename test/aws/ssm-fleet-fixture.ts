/** Shared set-up for the SsmFleet tests: a fake SSM behind a mocked SSMClient, a virtual clock, captured logs. */
import { SSMClient, type SendCommandCommandInput } from '@aws-sdk/client-ssm';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { SsmFleet } from '../../src/aws/ssm-fleet';
import { Deadline } from '../../src/core/clock';
import { RESULT_MARKER } from '../../src/core/document-contract';
import type { FleetConfig } from '../../src/rotation/config';
import type { PushReport } from '../../src/rotation/ports';
import { FakeSsm, type FakeSsmOptions } from '../../src/sandbox/fake-ssm';
import type { FakeHost, HostRunner } from '../../src/sandbox/fake-fleet-hosts';
import { DEFAULT_FAKE_DOCUMENT } from '../../src/sandbox/fake-ssm-validation';
import { VirtualClock } from '../../src/sandbox/virtual-clock';
import { wireFakeSsm } from '../sandbox/wire-fake-ssm';

export const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:ses-smtp-credential-AbCdEf';
export const VERSION_ID = '5f0c2a9e-7d41-4c1b-9a53-2e8f6b1d0c77';
/** A second version of the same secret (an earlier or later rotation). */
export const OTHER_VERSION_ID = '0b7d8e2f-1c3a-4e5b-8f9a-6d4c2b1a0e99';
/** The credential the hosts install; it must never appear in anything SSM or the logs see. */
export const PASSWORD = 'BFakeSmtpPasswordForTests0123456789abcdefghij';

/**
 * The SendCommand input of a push of {@link VERSION_ID} (tag targets, no error allowed), with `overrides`: what
 * the fake SSM's tests send, and, with the fleet's concurrency and log group, what {@link SsmFleet} must send.
 */
export function send(overrides: Partial<SendCommandCommandInput> = {}): SendCommandCommandInput {
  return {
    DocumentName: DEFAULT_FAKE_DOCUMENT,
    Targets: [{ Key: 'tag:Role', Values: ['smtp-relay'] }],
    Parameters: { SecretArn: [SECRET_ARN], VersionId: [VERSION_ID] },
    Comment: `ses-smtp-rotation ${VERSION_ID}`,
    MaxConcurrency: '100%',
    MaxErrors: '0',
    TimeoutSeconds: 600,
    ...overrides,
  };
}

export function fleetConfig(overrides: Partial<FleetConfig> = {}): FleetConfig {
  return {
    documentName: DEFAULT_FAKE_DOCUMENT,
    tagTargets: [{ key: 'Role', values: ['smtp-relay'] }],
    instanceIds: [],
    maxConcurrency: '10%',
    maxErrors: '0',
    deliveryTimeoutSeconds: 600,
    outputLogGroup: '/ses-smtp-rotation/fleet',
    pollIntervalSeconds: 5,
    ...overrides,
  };
}

/** A host hook that "fetches" the password by version id and installs it, printing only a result line. */
export const installFromSecret: HostRunner = async (host, request) => {
  const versions: Record<string, string> = { [VERSION_ID]: PASSWORD, [OTHER_VERSION_ID]: `${PASSWORD.slice(0, -1)}X` };
  const password = versions[request.parameters.VersionId?.[0] ?? ''];
  installed.set(host.instanceId, password ?? '');
  return password
    ? { status: 'Success', output: `${RESULT_MARKER} status=updated` }
    : { status: 'Failed', output: `${RESULT_MARKER} status=failed reason=version-not-found` };
};
/** What each host installed through {@link installFromSecret}. */
export const installed = new Map<string, string>();

export interface Harness {
  readonly clock: VirtualClock;
  readonly fake: FakeSsm;
  readonly mock: AwsClientStub<SSMClient>;
  readonly fleet: SsmFleet;
  readonly logs: string[];
  deliver(deadlineMs?: number, versionId?: string): Promise<PushReport>;
}

/** Wires a fleet to a fake SSM; call `harness.mock.restore()` after the test. */
export function harness(
  hosts: FakeHost[],
  options: { config?: Partial<FleetConfig>; fake?: Partial<FakeSsmOptions>; clock?: VirtualClock } = {},
): Harness {
  const clock = options.clock ?? new VirtualClock();
  const fake = new FakeSsm({ clock, hosts, runOnHost: installFromSecret, ...options.fake });
  const ssm = new SSMClient({ region: 'eu-west-1' });
  const mock = wireFakeSsm(fake, ssm);
  const logs: string[] = [];
  const logger = {
    info: (message: string, extra?: object) => logs.push(`INFO ${message} ${JSON.stringify(extra ?? {})}`),
    warn: (message: string, extra?: object) => logs.push(`WARN ${message} ${JSON.stringify(extra ?? {})}`),
    error: (message: string, extra?: object) => logs.push(`ERROR ${message} ${JSON.stringify(extra ?? {})}`),
  };
  const fleet = new SsmFleet({ ssm, clock, config: fleetConfig(options.config), logger });
  return {
    clock,
    fake,
    mock,
    fleet,
    logs,
    deliver: (deadlineMs = 15 * 60_000, versionId = VERSION_ID) =>
      fleet.deliver({ secretArn: SECRET_ARN, versionId }, Deadline.after(clock, deadlineMs)),
  };
}

/** Runs `promise` and returns what it threw (fails the test if it resolved). */
export async function thrown(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}
