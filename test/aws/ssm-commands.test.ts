import { ListCommandInvocationsCommand, ListCommandsCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { findNewestCommand, listHostsInState, MAX_PAGES_PER_STATE, PAGE_SIZE } from '../../src/aws/ssm-commands';
import { makeHosts } from '../../src/sandbox/fake-fleet-hosts';
import { FakeSsm } from '../../src/sandbox/fake-ssm';
import { DEFAULT_FAKE_DOCUMENT } from '../../src/sandbox/fake-ssm-validation';
import { VirtualClock } from '../../src/sandbox/virtual-clock';
import { wireFakeSsm } from '../sandbox/wire-fake-ssm';

const ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:ses-smtp-credential-AbCdEf';

function setup(hostCount: number) {
  const clock = new VirtualClock();
  const hosts = makeHosts(hostCount);
  const fake = new FakeSsm({ clock, hosts, rampStepMs: 0 });
  const ssm = new SSMClient({ region: 'eu-west-1' });
  const mock = wireFakeSsm(fake, ssm);
  const send = async (comment: string) => {
    const out = await fake.sendCommand({
      DocumentName: DEFAULT_FAKE_DOCUMENT,
      Targets: [{ Key: 'tag:Role', Values: ['smtp-relay'] }],
      Parameters: { SecretArn: [ARN], VersionId: ['5f0c2a9e-7d41-4c1b-9a53-2e8f6b1d0c77'] },
      Comment: comment,
      MaxConcurrency: '100%',
      MaxErrors: '100%',
      TimeoutSeconds: 600,
    });
    clock.advance(60_000);
    await fake.advance();
    return out.Command!.CommandId!;
  };
  return { clock, hosts, fake, ssm, mock, send };
}

describe('listHostsInState', () => {
  let mock: AwsClientStub<SSMClient> | undefined;
  afterEach(() => mock?.restore());

  it('pages with the SDK paginator and stops at the page cap, saying the count is a lower bound', async () => {
    // Prepare: more hosts in one bad state than the cap lets the Lambda page through.
    const f = setup(PAGE_SIZE * MAX_PAGES_PER_STATE + 7);
    mock = f.mock;
    f.hosts.forEach((h) => (h.behaviour = { kind: 'undeliverable' }));
    const commandId = await f.send('ses-smtp-rotation v');

    // Act
    const found = await listHostsInState(f.ssm, commandId, 'Undeliverable');

    // Assess
    expect(f.mock.commandCalls(ListCommandInvocationsCommand)).toHaveLength(MAX_PAGES_PER_STATE);
    expect(found).toMatchObject({ state: 'Undeliverable', total: PAGE_SIZE * MAX_PAGES_PER_STATE, truncated: true });
    expect(found.hostIds).toEqual(f.hosts.slice(0, PAGE_SIZE).map((h) => h.instanceId));
  });

  it('reads every page of a state below the cap and reports it complete', async () => {
    // Prepare
    const f = setup(PAGE_SIZE + 3);
    mock = f.mock;
    f.hosts.forEach((h) => (h.behaviour = { kind: 'undeliverable' }));
    const commandId = await f.send('ses-smtp-rotation v');

    // Act
    const found = await listHostsInState(f.ssm, commandId, 'Undeliverable');

    // Assess
    expect(f.fake.callsTo('ListCommandInvocations').map((c) => (c.input as { NextToken?: string }).NextToken)).toEqual([
      undefined,
      expect.any(String),
    ]);
    expect(found).toMatchObject({ total: PAGE_SIZE + 3, truncated: false });
  });
});

describe('findNewestCommand', () => {
  let mock: AwsClientStub<SSMClient> | undefined;
  afterEach(() => mock?.restore());

  it('pages through more commands than one page holds to find the newest match', async () => {
    // Prepare: the wanted command is the oldest of 52, so it sits on the second page (newest first).
    const f = setup(1);
    mock = f.mock;
    const wanted = await f.send('ses-smtp-rotation wanted');
    for (let n = 0; n < PAGE_SIZE + 1; n += 1) await f.send(`ses-smtp-rotation other-${n}`);

    // Act
    const found = await findNewestCommand(f.ssm, {
      documentName: DEFAULT_FAKE_DOCUMENT,
      comment: 'ses-smtp-rotation wanted',
      invokedAfter: new Date(0),
      secretArn: ARN,
    });

    // Assess
    expect(found?.CommandId).toBe(wanted);
    expect(f.mock.commandCalls(ListCommandsCommand)).toHaveLength(2);
  });
});
