/**
 * A {@link FakeSsm} over simulated hosts on a virtual clock, and the rotation's SendCommand input, shared by the
 * tests of the fake SSM's parts (command, status, host runs, views, validation, wiring).
 */
import type { SendCommandCommandInput } from '@aws-sdk/client-ssm';
import { makeHosts } from '../../src/sandbox/fake-fleet-hosts';
import { FakeSsm, type FakeSsmOptions } from '../../src/sandbox/fake-ssm';
import { DEFAULT_FAKE_DOCUMENT } from '../../src/sandbox/fake-ssm-validation';
import { VirtualClock } from '../../src/sandbox/virtual-clock';
// The same secret version as the SsmFleet tests push.
import { SECRET_ARN, VERSION_ID } from '../aws/ssm-fleet-fixture';

export { SECRET_ARN, VERSION_ID };

/** The push the rotation sends (tag targets, all at once, no error allowed), with `overrides`. */
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

/** A fake SSM with `count` relays at virtual time 0, and a reader of one command's status and counters. */
export function setup(count: number, options: Partial<FakeSsmOptions> = {}) {
  const clock = new VirtualClock(0);
  const hosts = makeHosts(count);
  const fake = new FakeSsm({ clock, hosts, ...options });
  const status = async (commandId: string) => {
    const c = (await fake.listCommands({ CommandId: commandId })).Commands![0]!;
    return {
      status: c.Status,
      details: c.StatusDetails,
      target: c.TargetCount,
      completed: c.CompletedCount,
      errors: c.ErrorCount,
      deliveryTimedOut: c.DeliveryTimedOutCount,
    };
  };
  return { clock, hosts, fake, status };
}

/** Sends `input`, lets `ms` of virtual time pass, and returns the command id. */
export async function sendAndRun(f: ReturnType<typeof setup>, input = send(), ms = 3_600_000): Promise<string> {
  const out = await f.fake.sendCommand(input);
  f.clock.advance(ms);
  await f.fake.advance();
  return out.Command!.CommandId!;
}
