import { ConfigurationError } from '../../src/core/errors';
import { loadConfig } from '../../src/rotation/config';
import { DAY_MS, HOUR_MS, formatWindow, loadRetirementPolicy, parseWindow } from '../../src/rotation/retirement-policy';
import { MINIMAL_ENV } from './config-env';

describe('loadRetirementPolicy', () => {
  it('defaults to staged: deactivate after 24 h, delete 7 days later, hold a key in use', () => {
    expect(loadRetirementPolicy({})).toEqual({
      mode: 'staged',
      deactivateAfterMs: 24 * HOUR_MS,
      deleteAfterMs: 7 * DAY_MS,
      inUse: 'hold',
    });
  });

  it('reads every variable', () => {
    const policy = loadRetirementPolicy({
      RETIREMENT_POLICY: 'immediate',
      RETIREMENT_DEACTIVATE_AFTER: '90m',
      RETIREMENT_DELETE_AFTER: '3d',
      RETIREMENT_IN_USE: 'proceed',
    });
    expect(policy).toEqual({
      mode: 'immediate',
      deactivateAfterMs: 90 * 60_000,
      deleteAfterMs: 3 * DAY_MS,
      inUse: 'proceed',
    });
  });

  it.each([
    [{ RETIREMENT_POLICY: 'later' }, 'RETIREMENT_POLICY must be immediate or staged'],
    [{ RETIREMENT_IN_USE: 'ignore' }, 'RETIREMENT_IN_USE must be hold or proceed'],
    [{ RETIREMENT_DEACTIVATE_AFTER: '0h' }, 'RETIREMENT_DEACTIVATE_AFTER must be a positive duration'],
    [{ RETIREMENT_DEACTIVATE_AFTER: '-1h' }, 'RETIREMENT_DEACTIVATE_AFTER must be a positive duration'],
    [{ RETIREMENT_DELETE_AFTER: 'a week' }, 'RETIREMENT_DELETE_AFTER must be a positive duration'],
    [{ RETIREMENT_DELETE_AFTER: '400d' }, 'RETIREMENT_DELETE_AFTER must be a positive duration of at most 365d'],
  ])('rejects %j with an error naming the variable', (env, message) => {
    expect(() => loadRetirementPolicy(env)).toThrow(ConfigurationError);
    expect(() => loadRetirementPolicy(env)).toThrow(message);
    // The setting, for callers (the CDK construct) that map it to their own names without reading the message.
    let setting: string | undefined;
    try {
      loadRetirementPolicy(env);
    } catch (error) {
      setting = (error as ConfigurationError).setting;
    }
    expect(setting).toBe(Object.keys(env)[0]);
  });

  it('is part of the function configuration', () => {
    const config = loadConfig({ ...MINIMAL_ENV, RETIREMENT_DELETE_AFTER: '2d' });
    expect(config.retirement.deleteAfterMs).toBe(2 * DAY_MS);
  });
});

describe('parseWindow / formatWindow', () => {
  it.each([
    ['90m', 90 * 60_000, '90m'],
    ['24h', DAY_MS, '1d'],
    ['36h', 36 * HOUR_MS, '36h'],
    ['7d', 7 * DAY_MS, '7d'],
  ])('reads %s and writes it back', (text, ms, formatted) => {
    expect(parseWindow(text, 'x')).toBe(ms);
    expect(formatWindow(ms)).toBe(formatted);
  });
});
