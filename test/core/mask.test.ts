import { maskKeyId } from '../../src/core/mask';

describe('maskKeyId', () => {
  it('keeps the prefix and the last four characters', () => {
    expect(maskKeyId('AKIAIOSFODNN7EXAMPLE')).toBe('AKIA…MPLE');
  });

  it('hides a value too short to mask meaningfully', () => {
    expect(maskKeyId('AKIA1234')).toBe('****');
  });
});
