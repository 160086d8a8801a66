import { reconcileKeys, type ObservedKey } from '../../src/rotation/reconcile';

const day = (n: number) => new Date(Date.UTC(2025, 0, n));
function key(id: string, created: number, lastUsed?: number, status = 'Active'): ObservedKey {
  return { id, status, created: day(created), ...(lastUsed ? { lastUsed: day(lastUsed) } : {}) };
}
const CURRENT = 'AKIAEXAMPLE000000001';
const OTHER = 'AKIAEXAMPLE000000002';

describe('reconcileKeys', () => {
  it('keeps the AWSCURRENT key and removes nothing on a normal rotation', () => {
    const plan = reconcileKeys([key(CURRENT, 1, 5)], { current: CURRENT });
    expect(plan).toEqual({ ok: true, remove: [], keep: [key(CURRENT, 1, 5)] });
  });

  it('removes the AWSPREVIOUS key whose retirement was interrupted', () => {
    const plan = reconcileKeys([key(OTHER, 1, 2), key(CURRENT, 3, 4)], { current: CURRENT, previous: OTHER });
    expect(plan.ok && plan.remove.map((r) => r.key.id)).toEqual([OTHER]);
  });

  it('removes a never-used key newer than the current key as a crash orphan', () => {
    const plan = reconcileKeys([key(CURRENT, 1, 5), key(OTHER, 6)], { current: CURRENT });
    expect(plan.ok && plan.remove.map((r) => [r.key.id, r.reason])).toEqual([
      [OTHER, expect.stringContaining('orphan')],
    ]);
  });

  it('stops when an unexplained key was used, naming it masked with its dates', () => {
    const plan = reconcileKeys([key(CURRENT, 1, 5), key(OTHER, 6, 7)], { current: CURRENT });
    expect(plan.ok).toBe(false);
    const problem = plan.ok ? '' : plan.problem;
    expect(problem).toContain('AKIA…0002');
    expect(problem).toContain('last used 2025-01-07');
    expect(problem).toContain('never delete the AWSCURRENT key');
    expect(problem).not.toContain(OTHER);
  });

  it('stops when an unexplained never-used key is older than the current key', () => {
    expect(reconcileKeys([key(OTHER, 1), key(CURRENT, 2, 5)], { current: CURRENT }).ok).toBe(false);
  });

  it('adopts the one key the hosts use on a first rotation', () => {
    const plan = reconcileKeys([key(OTHER, 1, 2)], {});
    expect(plan).toEqual({ ok: true, remove: [], keep: [key(OTHER, 1, 2)] });
  });

  it('removes a never-used newer orphan beside the adopted key on a first rotation', () => {
    const plan = reconcileKeys([key(OTHER, 1, 2), key(CURRENT, 9)], {});
    expect(plan.ok && plan.remove.map((r) => r.key.id)).toEqual([CURRENT]);
    expect(plan.ok && plan.keep.map((k) => k.id)).toEqual([OTHER]);
  });

  it('stops on a first rotation when both keys were used, listing both and saying which to delete', () => {
    const plan = reconcileKeys([key(OTHER, 1, 2), key(CURRENT, 3, 4)], {});
    expect(plan.ok).toBe(false);
    const problem = plan.ok ? '' : plan.problem;
    expect(problem).toContain('AKIA…0001');
    expect(problem).toContain('AKIA…0002');
    expect(problem).toContain('Delete the key the hosts do NOT use');
  });

  it('counts inactive keys like active ones', () => {
    expect(reconcileKeys([key(OTHER, 1, 2, 'Inactive'), key(CURRENT, 3, 4, 'Inactive')], {}).ok).toBe(false);
  });
});
