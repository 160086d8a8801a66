import { RotationStateError } from '../../src/rotation/errors';
import { guard } from '../../src/rotation/guard';

const ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:smtp-AbCdEf';
const TOKEN = 'aaaaaaaa-bbbb-cccc-dddd-000000000001';
const CURRENT = 'aaaaaaaa-bbbb-cccc-dddd-000000000000';

describe('guard', () => {
  it('returns pending with the current version when the token is AWSPENDING', () => {
    const verdict = guard(
      { arn: ARN, rotationEnabled: true, versionStages: { [TOKEN]: ['AWSPENDING'], [CURRENT]: ['AWSCURRENT'] } },
      TOKEN,
    );
    expect(verdict).toEqual({ phase: 'pending', currentVersionId: CURRENT });
  });

  it('returns pending without a current version on a first rotation', () => {
    expect(guard({ arn: ARN, rotationEnabled: true, versionStages: { [TOKEN]: ['AWSPENDING'] } }, TOKEN)).toEqual({
      phase: 'pending',
    });
  });

  it('returns promoted when the token is already AWSCURRENT', () => {
    const verdict = guard(
      {
        arn: ARN,
        rotationEnabled: true,
        versionStages: { [TOKEN]: ['AWSCURRENT', 'AWSPENDING'], [CURRENT]: ['AWSPREVIOUS'] },
      },
      TOKEN,
    );
    expect(verdict).toEqual({ phase: 'promoted' });
  });

  it('refuses when rotation is not enabled', () => {
    expect(() =>
      guard({ arn: ARN, rotationEnabled: false, versionStages: { [TOKEN]: ['AWSPENDING'] } }, TOKEN),
    ).toThrow('rotation is not enabled');
  });

  it('refuses a token the secret does not know', () => {
    expect(() => guard({ arn: ARN, rotationEnabled: true, versionStages: {} }, TOKEN)).toThrow(RotationStateError);
    expect(() => guard({ arn: ARN, rotationEnabled: true, versionStages: {} }, TOKEN)).toThrow('is not a version of');
  });

  it('refuses a token that is neither pending nor current', () => {
    expect(() =>
      guard({ arn: ARN, rotationEnabled: true, versionStages: { [TOKEN]: ['AWSPREVIOUS'] } }, TOKEN),
    ).toThrow('neither AWSPENDING nor AWSCURRENT');
  });
});
