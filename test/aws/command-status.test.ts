import {
  decidePoll,
  describeHostsInState,
  judge,
  statesToInspect,
  type CommandSnapshot,
} from '../../src/aws/command-status';
import type { HostsInState } from '../../src/rotation/fleet-errors';

function snapshot(overrides: Partial<CommandSnapshot> = {}): CommandSnapshot {
  return {
    commandId: 'cmd-1',
    status: 'Success',
    statusDetails: 'Success',
    targetCount: 3,
    completedCount: 3,
    errorCount: 0,
    deliveryTimedOutCount: 0,
    ...overrides,
  };
}

function hits(state: string, hostIds: string[], total = hostIds.length, truncated = false): HostsInState {
  return { state, hostIds, total, truncated };
}

const UNCOUNTED = ['Undeliverable', 'InvalidPlatform', 'AccessDenied', 'Terminated', 'Cancelled'];
const ALL_BAD = ['Failed', 'ExecutionTimedOut', 'DeliveryTimedOut', ...UNCOUNTED];

describe('decidePoll', () => {
  it('waits while tag targets are being resolved (Pending, TargetCount 0)', () => {
    const decision = decidePoll(
      snapshot({ status: 'Pending', statusDetails: 'Pending', targetCount: 0, completedCount: 0 }),
    );
    expect(decision).toEqual({ kind: 'wait', reason: 'resolving targets' });
  });

  it.each(['Pending', 'InProgress', 'Cancelling'])('waits while the command is %s', (status) => {
    expect(decidePoll(snapshot({ status, completedCount: 1 }))).toEqual({ kind: 'wait', reason: status });
  });

  it('waits on a status it does not know rather than judging it', () => {
    expect(decidePoll(snapshot({ status: 'Paused' }))).toEqual({
      kind: 'wait',
      reason: 'unrecognised status "Paused"',
    });
  });

  it('waits when every count looks complete but the command is still InProgress', () => {
    expect(decidePoll(snapshot({ status: 'InProgress' })).kind).toBe('wait');
  });

  it('reports no targets on "No Instances In Tag"', () => {
    const decision = decidePoll(snapshot({ status: 'Failed', statusDetails: 'No Instances In Tag', targetCount: 0 }));
    expect(decision).toEqual({ kind: 'no-targets' });
  });

  it.each(['Success', 'Failed', 'TimedOut'])('reports no targets when a %s command targeted nothing', (status) => {
    expect(decidePoll(snapshot({ status, targetCount: 0, completedCount: 0 }))).toEqual({ kind: 'no-targets' });
  });

  it('treats a command cancelled before targets resolved as settled, not as zero hosts', () => {
    expect(decidePoll(snapshot({ status: 'Cancelled', targetCount: 0, completedCount: 0 })).kind).toBe('settled');
  });

  it('inspects nothing after a clean Success (details Success, all counts agree)', () => {
    expect(decidePoll(snapshot())).toEqual({ kind: 'settled', inspect: [] });
  });
});

describe('statesToInspect', () => {
  it('inspects every bad state when ErrorCount is non-zero', () => {
    expect(statesToInspect(snapshot({ errorCount: 1 }))).toEqual(ALL_BAD);
  });

  it('inspects every bad state when DeliveryTimedOutCount is non-zero', () => {
    expect(statesToInspect(snapshot({ deliveryTimedOutCount: 2 }))).toEqual(ALL_BAD);
  });

  it('inspects every bad state when the details say Incomplete although the status says Success', () => {
    expect(statesToInspect(snapshot({ statusDetails: 'Incomplete' }))).toEqual(ALL_BAD);
  });

  it('inspects every bad state when SSM returned no details', () => {
    expect(statesToInspect(snapshot({ statusDetails: '' }))).toEqual(ALL_BAD);
  });

  it('inspects every bad state when fewer hosts completed than were targeted', () => {
    expect(statesToInspect(snapshot({ completedCount: 2 }))).toEqual(ALL_BAD);
  });

  it('inspects every bad state when the command did not end Success', () => {
    expect(statesToInspect(snapshot({ status: 'Failed' }))).toEqual(ALL_BAD);
  });

  it('inspects nothing when the command ran successfully on all invocations', () => {
    expect(statesToInspect(snapshot())).toEqual([]);
  });
});

describe('judge', () => {
  it('succeeds when the command ended Success, all counts agree and no host is in a bad state', () => {
    expect(
      judge(
        snapshot(),
        UNCOUNTED.map((s) => hits(s, [])),
      ),
    ).toEqual({ kind: 'success' });
  });

  it('fails on an Undeliverable host although the command status is Success', () => {
    const verdict = judge(snapshot(), [hits('Undeliverable', ['i-0abc'])]);
    expect(verdict).toEqual({
      kind: 'failed',
      reasons: ['1 host Undeliverable (the node is gone or its agent is not responding): i-0abc'],
    });
  });

  it('fails when fewer hosts completed than were targeted, even with nothing listed', () => {
    const verdict = judge(snapshot({ completedCount: 2 }), []);
    expect(verdict).toEqual({
      kind: 'failed',
      reasons: ['only 2 of 3 hosts reached a final state (command status Success)'],
    });
  });

  it('fails on ErrorCount even if the listing found nobody', () => {
    const verdict = judge(snapshot({ status: 'Failed', statusDetails: 'Failed', errorCount: 1 }), []);
    expect(verdict).toEqual({ kind: 'failed', reasons: ['1 host failed (ErrorCount)', 'command status Failed'] });
  });

  it('fails on DeliveryTimedOutCount with a Success status and Incomplete details', () => {
    const verdict = judge(snapshot({ statusDetails: 'Incomplete', deliveryTimedOutCount: 2 }), []);
    expect(verdict).toEqual({ kind: 'failed', reasons: ['2 hosts not reached before the delivery timeout'] });
  });

  it('fails an Incomplete command even when no host was found in a bad state', () => {
    const verdict = judge(
      snapshot({ statusDetails: 'Incomplete' }),
      ALL_BAD.map((s) => hits(s, [])),
    );
    expect(verdict).toEqual({
      kind: 'failed',
      reasons: ['command status Success (Incomplete) although no host was found in a bad state'],
    });
  });

  it('does not repeat a counter that the listing already explained', () => {
    const verdict = judge(snapshot({ status: 'Failed', errorCount: 1 }), [hits('Failed', ['i-0abc'])]);
    expect(verdict.kind === 'failed' && verdict.reasons).toEqual([
      '1 host Failed (the document exited non-zero): i-0abc',
      'command status Failed (Success)',
    ]);
  });

  it('fails a cancelled command', () => {
    const verdict = judge(
      snapshot({ status: 'Cancelled', statusDetails: 'Cancelled', targetCount: 0, completedCount: 0 }),
      [],
    );
    expect(verdict).toEqual({ kind: 'failed', reasons: ['command status Cancelled'] });
  });

  it('never calls a command that targeted no host a success', () => {
    const verdict = judge(snapshot({ targetCount: 0, completedCount: 0 }), []);
    expect(verdict).toEqual({ kind: 'failed', reasons: ['the command targeted no host'] });
  });
});

describe('describeHostsInState', () => {
  it('names the listed hosts and how many more there are', () => {
    expect(describeHostsInState(hits('Terminated', ['i-1', 'i-2'], 9))).toBe(
      '9 hosts Terminated (never ran: the rollout stopped after MaxErrors was exceeded): i-1, i-2 and 7 more',
    );
  });

  it('says "at least" when listing stopped early', () => {
    expect(describeHostsInState(hits('Cancelled', ['i-1'], 1000, true))).toBe(
      'at least 1000 hosts Cancelled: i-1 and at least 999 more',
    );
  });
});
