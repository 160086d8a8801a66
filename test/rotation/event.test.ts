import { InvalidEventError } from '../../src/rotation/errors';
import { parseRotationEvent } from '../../src/rotation/event';

const EVENT = {
  Step: 'createSecret',
  SecretId: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:smtp-AbCdEf',
  ClientRequestToken: 'aaaaaaaa-bbbb-cccc-dddd-000000000001',
};

describe('parseRotationEvent', () => {
  it('parses a rotation event', () => {
    expect(parseRotationEvent(EVENT)).toEqual({
      step: 'createSecret',
      secretId: EVENT.SecretId,
      token: EVENT.ClientRequestToken,
    });
  });

  it('keeps the RotationToken when present', () => {
    const rotationToken = 'f'.repeat(36);
    expect(parseRotationEvent({ ...EVENT, RotationToken: rotationToken }).rotationToken).toBe(rotationToken);
  });

  it.each([
    [{ ...EVENT, Step: 'deleteSecret' }, '"Step" must be one of'],
    [{ ...EVENT, SecretId: '' }, '"SecretId"'],
    [{ ...EVENT, ClientRequestToken: 'short' }, '"ClientRequestToken"'],
    [{ ...EVENT, RotationToken: 'bad token!'.repeat(5) }, '"RotationToken" is malformed'],
    ['not an object', 'must be an object'],
  ])('rejects a malformed event naming the field (%#)', (raw, message) => {
    expect(() => parseRotationEvent(raw)).toThrow(InvalidEventError);
    expect(() => parseRotationEvent(raw)).toThrow(message);
  });

  it('never echoes a malformed rotation token', () => {
    const secretish = 'x!'.repeat(30);
    expect(() => parseRotationEvent({ ...EVENT, RotationToken: secretish })).toThrow(/^(?!.*x!x!)/);
  });
});
