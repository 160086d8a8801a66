import { DAY_MS, DEFAULT_RETIREMENT, HOUR_MS, type RetirementPolicy } from '../../src/rotation/retirement-policy';
import { decideRetirement, parseControl, type RetirementInput } from '../../src/rotation/retirement';

const CONFIRMED = new Date('2026-01-01T03:00:00Z');
const at = (ms: number) => CONFIRMED.getTime() + ms;

function input(patch: Partial<RetirementInput> = {}, policy: Partial<RetirementPolicy> = {}): RetirementInput {
  return {
    key: { id: 'AKIAEXAMPLE000000001', status: 'Active', created: new Date('2025-10-01T00:00:00Z') },
    confirmedAt: CONFIRMED,
    policy: { ...DEFAULT_RETIREMENT, ...policy },
    now: at(HOUR_MS),
    emergency: false,
    control: { paused: false },
    ...patch,
  };
}

describe('decideRetirement', () => {
  it('waits with the old key active until deactivateAfter has passed', () => {
    const decision = decideRetirement(input({ now: at(23 * HOUR_MS) }));
    expect(decision).toEqual({ action: 'wait', stage: 'active', until: new Date(at(24 * HOUR_MS)) });
  });

  it('deactivates an unused active key once deactivateAfter has passed', () => {
    expect(decideRetirement(input({ now: at(24 * HOUR_MS) })).action).toBe('deactivate');
  });

  it('never deactivates before IAM had four hours to report a use, even with a shorter window', () => {
    // Prepare: a 1 h window under "hold".
    const early = decideRetirement(input({ now: at(2 * HOUR_MS) }, { deactivateAfterMs: HOUR_MS }));
    const due = decideRetirement(input({ now: at(4 * HOUR_MS) }, { deactivateAfterMs: HOUR_MS }));
    // Assess
    expect(early).toMatchObject({ action: 'wait', until: new Date(at(4 * HOUR_MS)) });
    expect(due.action).toBe('deactivate');
  });

  it('holds a key used after the confirmation, whatever its stage and however late', () => {
    const lastUse = { date: new Date(at(5 * 60_000)), service: 'ses', region: 'eu-west-1' };
    for (const now of [at(HOUR_MS), at(2 * DAY_MS), at(30 * DAY_MS)]) {
      for (const status of ['Active', 'Inactive']) {
        const decision = decideRetirement(input({ now, key: { ...input().key, status, lastUse } }));
        expect(decision).toEqual({ action: 'hold', lastUse });
      }
    }
  });

  it('does not hold for a use before the confirmation (the hosts switching over)', () => {
    const lastUse = { date: new Date(at(-60_000)) };
    expect(decideRetirement(input({ now: at(24 * HOUR_MS), key: { ...input().key, lastUse } })).action).toBe(
      'deactivate',
    );
  });

  it('proceeds despite a use when the policy says proceed', () => {
    const lastUse = { date: new Date(at(HOUR_MS)) };
    const decision = decideRetirement(
      input({ now: at(24 * HOUR_MS), key: { ...input().key, lastUse } }, { inUse: 'proceed' }),
    );
    expect(decision.action).toBe('deactivate');
  });

  it('deletes an inactive key deleteAfter after the deactivation, and waits before', () => {
    const inactive = { ...input().key, status: 'Inactive' };
    expect(decideRetirement(input({ now: at(3 * DAY_MS), key: inactive }))).toEqual({
      action: 'wait',
      stage: 'inactive',
      until: new Date(at(8 * DAY_MS)),
    });
    expect(decideRetirement(input({ now: at(8 * DAY_MS), key: inactive })).action).toBe('delete');
  });

  it('deletes an unused key in one pass when the pass did not run for the whole schedule', () => {
    expect(decideRetirement(input({ now: at(9 * DAY_MS) })).action).toBe('delete');
  });

  it('deletes at once in an emergency, even a key in use', () => {
    const lastUse = { date: new Date(at(HOUR_MS)) };
    expect(decideRetirement(input({ emergency: true, key: { ...input().key, lastUse } })).action).toBe('delete');
  });

  it('deletes at once under the immediate policy', () => {
    expect(decideRetirement(input({}, { mode: 'immediate' })).action).toBe('delete');
  });

  it('waits for the operator after a reactivation, and counts uses only from the resume on', () => {
    const lastUse = { date: new Date(at(2 * DAY_MS)) };
    const key = { ...input().key, lastUse };
    expect(decideRetirement(input({ now: at(3 * DAY_MS), key, control: { paused: true } })).action).toBe('paused');
    const resumed = { paused: false, resumedAt: new Date(at(3 * DAY_MS)) };
    expect(decideRetirement(input({ now: at(3 * DAY_MS), key, control: resumed })).action).toBe('deactivate');
    expect(
      decideRetirement(input({ now: at(4 * DAY_MS), key: { ...key, status: 'Inactive' }, control: resumed })),
    ).toMatchObject({
      action: 'wait',
      until: new Date(at(10 * DAY_MS)),
    });
  });
});

describe('parseControl', () => {
  const KEY = 'AKIAEXAMPLE000000001';
  it.each([
    [undefined, { paused: false }],
    ['paused', { paused: true }],
    [`paused ${KEY}`, { paused: true }],
    ['paused AKIAEXAMPLE000000009', { paused: false }],
    ['resumed 2026-01-02T00:00:00.000Z', { paused: false, resumedAt: new Date('2026-01-02T00:00:00.000Z') }],
    [`resumed 2026-01-02T00:00:00.000Z ${KEY}`, { paused: false, resumedAt: new Date('2026-01-02T00:00:00.000Z') }],
    ['resumed 2026-01-02T00:00:00.000Z AKIAEXAMPLE000000009', { paused: false }],
    ['resumed yesterday', { paused: false }],
    ['anything', { paused: false }],
  ])('reads %j for the key it names (or any key when it names none)', (value, expected) => {
    expect(parseControl(value, KEY)).toEqual(expected);
  });
});
