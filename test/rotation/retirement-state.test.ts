import { InvalidEventError } from '../../src/rotation/errors';
import {
  confirmationOf,
  isEmergency,
  retirementOf,
  parseInvocation,
  retiringKeys,
} from '../../src/rotation/retirement-state';

const ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:ses-smtp-credential-AbCdEf';
const TOKEN = '0a1b2c3d-1111-4222-8333-444455556666';

describe('parseInvocation', () => {
  it('recognises a rotation step from Secrets Manager', () => {
    const parsed = parseInvocation({ Step: 'createSecret', SecretId: ARN, ClientRequestToken: TOKEN });
    expect(parsed).toEqual({ kind: 'step', event: { step: 'createSecret', secretId: ARN, token: TOKEN } });
  });

  it('recognises a retirement pass', () => {
    expect(parseInvocation({ action: 'retire', secretId: ARN })).toEqual({
      kind: 'retire',
      event: { action: 'retire', secretId: ARN },
    });
  });

  it.each([
    [{ action: 'retire' }, 'retirement event field "secretId" must be the secret ARN'],
    [{ action: 'rotate', secretId: ARN }, 'unknown event'],
    [{ 'detail-type': 'Scheduled Event' }, '{"action":"retire","secretId":"<secret ARN>"}'],
    [null, 'unknown event'],
    ['retire', 'unknown event'],
  ])('refuses %j, naming the shapes it knows', (raw, message) => {
    expect(() => parseInvocation(raw)).toThrow(InvalidEventError);
    expect(() => parseInvocation(raw)).toThrow(message);
  });
});

describe('confirmationOf', () => {
  const meta = (lastRotatedDate?: Date) => ({
    arn: ARN,
    rotationEnabled: true,
    versionStages: {},
    ...(lastRotatedDate ? { lastRotatedDate } : {}),
  });
  const current = { versionId: TOKEN, secretString: '{}', createdDate: new Date('2026-01-01T03:00:00Z') };

  it('is LastRotatedDate when the rotation completed after the AWSCURRENT version was created', () => {
    const rotated = new Date('2026-01-01T03:10:00Z');
    expect(confirmationOf(meta(rotated), current)).toEqual(rotated);
  });

  it('is unknown when AWSCURRENT is newer than the last completed rotation (a value written by hand)', () => {
    expect(confirmationOf(meta(new Date('2025-10-01T03:10:00Z')), current)).toBeUndefined();
    expect(confirmationOf(meta(), current)).toBeUndefined();
  });
});

describe('retiringKeys', () => {
  const key = (id: string, created: string) => ({ id, status: 'Active', created: new Date(created) });
  const keys = [key('CURRENT', '2026-01-01T03:01:00Z'), key('OLD', '2025-10-01T03:01:00Z')];

  it('calls a key that existed when the rotation completed retiring, a later one unexplained', () => {
    const confirmed = new Date('2026-01-01T03:10:00Z');
    expect(retiringKeys(keys, 'CURRENT', confirmed).retiring.map((k) => k.id)).toEqual(['OLD']);
    const later = [...keys.slice(0, 1), key('STRANGER', '2026-01-02T00:00:00Z')];
    expect(retiringKeys(later, 'CURRENT', confirmed)).toMatchObject({
      retiring: [],
      unexplained: [{ id: 'STRANGER' }],
    });
  });

  it('retires nothing without a confirmation time', () => {
    expect(retiringKeys(keys, 'CURRENT', undefined).retiring).toEqual([]);
  });
});

describe('isEmergency', () => {
  it('reads the tag whatever its value (an operator may set it in the console)', () => {
    const meta = { arn: ARN, rotationEnabled: true, versionStages: {} };
    expect(isEmergency({ ...meta, tags: { 'ses-smtp-rotation:emergency': '' } })).toBe(true);
    expect(isEmergency({ ...meta, tags: {} })).toBe(false);
    expect(isEmergency(undefined)).toBe(false);
  });
});

describe('retirementOf', () => {
  const meta = { arn: ARN, rotationEnabled: true, versionStages: {} };

  it('takes the emergency tag first, then the immediate-retirement tag, then the installation policy', () => {
    const both = { 'ses-smtp-rotation:emergency': 'x', 'ses-smtp-rotation:immediate-retirement': 'y' };
    expect(retirementOf({ ...meta, tags: both }, 'staged')).toBe('emergency');
    expect(retirementOf({ ...meta, tags: { 'ses-smtp-rotation:immediate-retirement': '' } }, 'staged')).toBe(
      'immediate',
    );
    expect(retirementOf({ ...meta, tags: {} }, 'staged')).toBe('staged');
    expect(retirementOf(undefined, 'immediate')).toBe('immediate');
  });
});
