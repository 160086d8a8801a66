/** What the fake SSM reports about a command as a whole (src/sandbox/fake-ssm-status.ts): Status, details, counters. */
import { send, sendAndRun, setup } from './fake-ssm-fixture';

describe('FakeSsm command status', () => {
  it('ends "No Instances In Tag" when no host carries the tag', async () => {
    const f = setup(2);
    const id = await sendAndRun(f, send({ Targets: [{ Key: 'tag:Role', Values: ['nothing'] }] }));
    expect(await f.status(id)).toMatchObject({ status: 'Failed', details: 'No Instances In Tag', target: 0 });
  });

  it('reports Incomplete details while some hosts are Undeliverable, Invalid Platform or Access Denied', async () => {
    // Prepare
    const f = setup(4);
    f.hosts[0]!.behaviour = { kind: 'undeliverable' };
    f.hosts[1]!.platform = 'MacOS';
    f.hosts[2]!.behaviour = { kind: 'access-denied' };

    // Act
    const id = await sendAndRun(f);

    // Assess: they do not count against MaxErrors but make the command Incomplete (the Status is modelled as
    // Success, adversarially); Invalid Platform and Access Denied are modelled as not counted in CompletedCount.
    expect(await f.status(id)).toEqual({
      status: 'Success',
      details: 'Incomplete',
      target: 4,
      completed: 2,
      errors: 0,
      deliveryTimedOut: 0,
    });
  });

  it('fails the command only when every host is Undeliverable', async () => {
    const f = setup(2);
    f.hosts.forEach((h) => (h.behaviour = { kind: 'undeliverable' }));
    const id = await sendAndRun(f);
    expect(await f.status(id)).toMatchObject({ status: 'Failed', details: 'Undeliverable', completed: 2 });
  });

  it('reports Incomplete, not Failed, when fewer hosts failed than MaxErrors allows', async () => {
    // Prepare
    const f = setup(4);
    f.hosts[1]!.behaviour = { kind: 'fail' };

    // Act
    const id = await sendAndRun(f, send({ MaxErrors: '1' }));

    // Assess
    expect(await f.status(id)).toMatchObject({ status: 'Success', details: 'Incomplete', errors: 1, completed: 4 });
  });

  it('reports Success details only when every invocation succeeded', async () => {
    const f = setup(3);
    const id = await sendAndRun(f);
    expect(await f.status(id)).toMatchObject({ status: 'Success', details: 'Success', completed: 3 });
  });
});
