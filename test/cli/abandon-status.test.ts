import { abandonStatusAdvice, type AbandonView } from '../../src/cli/abandon-status';
import type { PushView } from '../../src/cli/push-state';

/** An abandon push that settled with one host failed, of three. */
const FAILED: PushView = {
  versionId: 'cur',
  commandId: 'cmd-abandon',
  requested: '2025-01-01T00:02:10.000Z',
  status: 'Failed',
  statusDetails: 'Failed',
  targets: 3,
  completed: 3,
  errors: 1,
  deliveryTimedOut: 0,
  outcome: 'failed',
  problems: ['1 host Failed (the document exited non-zero): i-3'],
  failedHosts: [{ state: 'Failed', hostIds: ['i-3'], total: 1, truncated: false }],
  firstError: 'i-3 exit code 3',
};

const view = (upToDate: boolean, changes: Partial<PushView> = {}): AbandonView => ({
  pendingVersionId: 'pen',
  upToDate,
  push: { ...FAILED, ...changes },
});

describe('abandonStatusAdvice', () => {
  it('names the failed hosts and the first error, and says to fix them and run rotate --abandon again', () => {
    // Act
    const advice = abandonStatusAdvice('my-secret', view(true), null);

    // Assess
    expect(advice.problem).toBe(
      'the push of AWSCURRENT (SSM command cmd-abandon) did not reach every target: 1 host Failed (the document ' +
        'exited non-zero): i-3; first error: i-3 exit code 3',
    );
    expect(advice.next).toContain(
      'Fix the hosts named, then run rotate --abandon again: it sends a new command to every target.',
    );
  });

  it('says the abandon push is out of date, naming the later rotation push, when the rotation pushed after it', () => {
    // Prepare
    const rotation: PushView = { ...FAILED, commandId: 'cmd-rotation', versionId: 'pen' };

    // Act
    const advice = abandonStatusAdvice('my-secret', view(false, { outcome: 'succeeded', problems: [] }), rotation);

    // Assess
    expect(advice.problem).toContain('the abandon push (SSM command cmd-abandon) is out of date');
    expect(advice.problem).toContain('(SSM command cmd-rotation)');
    expect(advice.next.at(-1)).toContain('it sends a new command to every target');
  });

  it('says to run rotate --abandon again after a push that reached no target', () => {
    // Act
    const advice = abandonStatusAdvice(
      'my-secret',
      view(true, { outcome: 'no-targets', targets: 0, completed: 0, problems: ['no managed node matched'] }),
      null,
    );

    // Assess
    expect(advice.problem).toBe(
      'the push of AWSCURRENT (SSM command cmd-abandon) reached no target: no managed node matched',
    );
    expect(advice.next.at(-1)).toContain('then run rotate --abandon again');
  });
});
