import { unfinishedRotationAdvice } from '../../src/cli/advice';
import type { SecretState } from '../../src/cli/secret-state';
import { assess, type Facts } from '../../src/cli/status-assess';
import { emptyStatusReport } from '../../src/cli/status-view';

const NOW = Date.UTC(2025, 0, 1, 12);
const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ses-smtp-credential-AbCdEf';

/** A secret with rotation configured; `pendingAgeMs` adds a pending version created that long ago. */
function secret(options: { pendingAgeMs?: number; lambda?: boolean } = {}): SecretState {
  const pending = options.pendingAgeMs !== undefined;
  return {
    arn: ARN,
    name: 'ses-smtp-credential',
    rotationEnabled: true,
    ...(options.lambda === false ? {} : { rotationLambdaArn: 'arn:aws:lambda:eu-west-1:123456789012:function:r' }),
    versions: [
      { versionId: 'v1', stages: ['AWSCURRENT'] },
      ...(pending ? [{ versionId: 'v2', stages: ['AWSPENDING'], created: new Date(NOW - options.pendingAgeMs!) }] : []),
    ],
    current: 'v1',
    ...(pending ? { pending: 'v2' } : {}),
  };
}

function facts(state: SecretState, errors: Facts['errors'] = []): Facts {
  return { secretId: ARN, state, fn: undefined, labelled: undefined, observed: undefined, errors, now: NOW };
}

describe('assess', () => {
  it('is ok when rotation is configured and nothing is unfinished', () => {
    const report = emptyStatusReport();

    assess(report, facts(secret()));

    expect(report).toMatchObject({ state: 'ok', problems: [], next: [] });
  });

  it('calls a pending version younger than one step a rotation in progress, not a problem', () => {
    const report = emptyStatusReport();

    assess(report, facts(secret({ pendingAgeMs: 60_000 })));

    expect(report).toMatchObject({ state: 'rotating', problems: [] });
  });

  it('needs attention when a pending version without a push is older than a step can run', () => {
    const report = emptyStatusReport();
    const state = secret({ pendingAgeMs: 20 * 60_000 });

    assess(report, facts(state));

    expect(report.state).toBe('attention');
    expect(report.problems).toEqual([unfinishedRotationAdvice(ARN, state)[0]]);
  });

  it('reports each section error with its fix, and rotation not configured', () => {
    const report = emptyStatusReport();

    assess(report, facts(secret({ lambda: false }), [{ problem: 'iam:ListAccessKeys denied', fix: 'grant it' }]));

    expect(report.state).toBe('attention');
    expect(report.problems[0]).toBe('iam:ListAccessKeys denied');
    expect(report.next[0]).toBe('grant it');
    expect(report.problems[1]).toContain('rotation is not configured for this secret');
  });
});
