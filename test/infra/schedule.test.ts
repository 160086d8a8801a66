import { cronFields, rotationIntervalBoundsMs, UNMODELLED_MAX_MS } from '../../infra/lib/schedule';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('rotationIntervalBoundsMs', () => {
  it.each([
    ['rate in days', 'rate(30 days)', 30 * DAY, 30 * DAY],
    ['rate of one day', 'rate(1 day)', DAY, DAY],
    ['rate in hours', 'rate(12 hours)', 12 * HOUR, 12 * HOUR],
    ['cron daily', 'cron(0 3 * * ? *)', DAY, DAY],
    ['cron every 6 hours', 'cron(0 0/6 * * ? *)', 6 * HOUR, 6 * HOUR],
    ['cron monthly', 'cron(0 3 1 * ? *)', 28 * DAY, 31 * DAY],
    ['cron quarterly by step', 'cron(0 3 1 1/3 ? *)', 90 * DAY, 92 * DAY],
    ['cron quarterly by month names', 'cron(0 3 1 JAN,APR,JUL,OCT ? *)', 90 * DAY, 92 * DAY],
    ['cron half-yearly by a month list', 'cron(0 3 15 1,7 ? *)', 181 * DAY, 184 * DAY],
    ['cron on a month range', 'cron(0 3 1 2-4 ? *)', 28 * DAY, 306 * DAY],
    ['cron yearly', 'cron(0 3 1 6 ? *)', 365 * DAY, 366 * DAY],
    ['cron on the last day of the month', 'cron(0 3 L * ? *)', 28 * DAY, 31 * DAY],
    ['cron on the 31st (months without one are skipped)', 'cron(0 3 31 * ? *)', 31 * DAY, 61 * DAY],
    ['cron weekly', 'cron(0 3 ? * MON *)', 7 * DAY, 7 * DAY],
    ['cron on weekdays', 'cron(0 3 ? * MON-FRI *)', DAY, 3 * DAY],
    ['cron on the first Monday', 'cron(0 3 ? * 2#1 *)', 28 * DAY, 35 * DAY],
    ['cron on the last Friday', 'cron(0 3 ? * 6L *)', 28 * DAY, 35 * DAY],
    ['cron on 29 February only', 'cron(0 3 29 2 ? *)', 1461 * DAY, 1461 * DAY],
  ])('reads the shortest and longest interval of a %s', (_, expression, minMs, maxMs) => {
    // Prepare / Act
    const bounds = rotationIntervalBoundsMs(expression);

    // Assess
    expect(bounds).toEqual({ minMs, maxMs });
  });

  it('assumes every day for the shortest and a year for the longest interval when a cron part is not modelled', () => {
    // Prepare / Act: 1W is "the weekday nearest the 1st", which the reader does not model.
    const bounds = rotationIntervalBoundsMs('cron(0 3 1W 1/3 ? *)');

    // Assess
    expect(bounds).toEqual({ minMs: DAY, maxMs: UNMODELLED_MAX_MS });
    expect(UNMODELLED_MAX_MS).toBeGreaterThanOrEqual(366 * DAY);
  });

  it.each([
    ['is not a schedule', 'every 90 days'],
    ['never runs', 'cron(0 3 30 2 ? *)'],
    ['names a year', 'cron(0 3 1 1 ? 2030)'],
    ['has five fields', 'cron(0 3 1 * ?)'],
  ])('returns undefined when the expression %s', (_, expression) => {
    // Prepare / Act / Assess
    expect(rotationIntervalBoundsMs(expression)).toBeUndefined();
  });
});

describe('cronFields', () => {
  it('splits a cron expression into its six fields and refuses anything else', () => {
    // Prepare / Act / Assess
    expect(cronFields('cron( 0 3 1 1/3 ? * )')).toEqual(['0', '3', '1', '1/3', '?', '*']);
    expect(cronFields('cron(0 3 1 1/3 ?)')).toBeUndefined();
    expect(cronFields('rate(7 days)')).toBeUndefined();
  });
});
