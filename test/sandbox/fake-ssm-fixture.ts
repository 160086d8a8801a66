/**
 * A {@link FakeSsm} over simulated hosts on a virtual clock, and the rotation's SendCommand input, shared by the
 * tests of the fake SSM's parts (command, status, host runs, views, validation, wiring).
 */
import { makeHosts } from '../../src/sandbox/fake-fleet-hosts';
import { FakeSsm, type FakeSsmOptions } from '../../src/sandbox/fake-ssm';
import { VirtualClock } from '../../src/sandbox/virtual-clock';
// The same secret version, and the same SendCommand input, as the SsmFleet tests push.
import { SECRET_ARN, VERSION_ID, send } from '../aws/ssm-fleet-fixture';

export { SECRET_ARN, VERSION_ID, send };

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
