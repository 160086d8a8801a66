import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { ConfigurationError } from '../../src/core/errors';
import { resolveRetirement } from '../../infra/lib/retirement';
import { settingsFromContext } from '../../infra/lib/settings';
import { rotationTemplate } from './helpers';

const DAY = 86_400_000;
const QUARTERLY = { expression: 'cron(0 3 1 1/3 ? *)', window: '3h' };

describe('resolveRetirement', () => {
  it('defaults to staged, 24 h, 7 days, hold', () => {
    expect(resolveRetirement(undefined, QUARTERLY)).toEqual({
      mode: 'staged',
      deactivateAfterMs: DAY,
      deleteAfterMs: 7 * DAY,
      inUse: 'hold',
    });
  });

  it.each([
    [{ deactivateAfter: Duration.seconds(0) }, QUARTERLY, 'retirement.deactivateAfter must be longer than zero'],
    [{ deleteAfter: Duration.seconds(0) }, QUARTERLY, 'retirement.deleteAfter must be longer than zero'],
    [{ deleteAfter: Duration.days(10) }, { expression: 'rate(7 days)', window: '3h' }, 'retirement.deleteAfter'],
    [
      { deleteAfter: Duration.days(30) },
      { expression: 'cron(0 3 1 * ? *)', window: '3h' },
      'may rotate again after 28d',
    ],
    [{}, { expression: 'rate(6 hours)', window: '1h' }, 'or use a longer schedule'],
  ])('refuses %j under %j, naming the prop', (options, schedule, message) => {
    expect(() => resolveRetirement(options, schedule)).toThrow(ConfigurationError);
    expect(() => resolveRetirement(options, schedule)).toThrow(message);
  });

  it('accepts windows longer than a month when a month-list schedule rotates twice a year', () => {
    // Prepare: 15 January and 15 July, at least 181 days apart.
    const halfYearly = { expression: 'cron(0 3 15 1,7 ? *)', window: '3h' };

    // Act
    const policy = resolveRetirement({ deleteAfter: Duration.days(90) }, halfYearly);

    // Assess
    expect(policy.deleteAfterMs).toBe(90 * DAY);
  });

  it('refuses windows that end less than a day before a half-yearly month-list schedule can rotate again', () => {
    // Prepare / Act / Assess
    expect(() =>
      resolveRetirement({ deleteAfter: Duration.days(179) }, { expression: 'cron(0 3 15 1,7 ? *)', window: '3h' }),
    ).toThrow(/may rotate again after 181d/);
  });

  it('accepts the immediate policy on any schedule', () => {
    expect(resolveRetirement({ policy: 'immediate' }, { expression: 'rate(6 hours)', window: '1h' }).mode).toBe(
      'immediate',
    );
  });
});

describe('retirement in the construct', () => {
  const template = rotationTemplate({ retirement: { deactivateAfter: Duration.hours(12), inUse: 'proceed' } });

  it('configures the function with the policy', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          RETIREMENT_POLICY: 'staged',
          RETIREMENT_DEACTIVATE_AFTER: '12h',
          RETIREMENT_DELETE_AFTER: '7d',
          RETIREMENT_IN_USE: 'proceed',
        }),
      },
    });
  });

  it('runs the retirement pass hourly with its own event shape', () => {
    const rules = Object.values(
      template.findResources('AWS::Events::Rule', { Properties: { ScheduleExpression: 'rate(1 hour)' } }),
    );
    expect(rules).toHaveLength(1);
    expect(JSON.stringify(rules[0]?.Properties.Targets)).toContain('{\\"action\\":\\"retire\\",\\"secretId\\":');
  });

  it('lets the function change only the product tags of the secret', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['secretsmanager:TagResource', 'secretsmanager:UntagResource'],
            Condition: { 'ForAllValues:StringLike': { 'aws:TagKeys': ['ses-smtp-rotation:*'] } },
          }),
        ]),
      },
    });
  });

  it('fails synth naming the prop when the windows run into the next rotation', () => {
    expect(() =>
      rotationTemplate({ schedule: { expression: 'rate(5 days)' }, retirement: { deleteAfter: Duration.days(5) } }),
    ).toThrow(/SesSmtpRotation prop retirement.deleteAfter/);
  });
});

describe('retirement context keys', () => {
  it('reads the policy and windows', () => {
    const context: Record<string, string> = {
      identities: 'example.com',
      retirementPolicy: 'staged',
      deactivateAfter: '36h',
      deleteAfter: '3d',
      retirementInUse: 'hold',
    };
    expect(settingsFromContext((k) => context[k])).toMatchObject({
      retirementPolicy: 'staged',
      deactivateAfterMs: 1.5 * DAY,
      deleteAfterMs: 3 * DAY,
      retirementInUse: 'hold',
    });
  });

  it.each([
    ['deactivateAfter', '-1h'],
    ['deleteAfter', 'soon'],
    ['retirementPolicy', 'never'],
  ])('refuses %s=%s naming the key', (key, value) => {
    const context: Record<string, string> = { identities: 'example.com', [key]: value };
    expect(() => settingsFromContext((k) => context[k])).toThrow(`context key ${key}`);
  });
});

describe('retirement alarms and dashboard', () => {
  const template = rotationTemplate();

  it.each([
    ['OldKeyInUse', 1],
    ['OldKeyActiveHours', 48],
    // The quarterly default's longest gap is 92 days (1 Jul to 1 Oct, 1 Oct to 1 Jan).
    ['HoursSinceLastRotation', 92 * 24 + 3 + 48],
  ])('alarms on %s at %d and notifies the topic', (metricName, threshold) => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((a) =>
      JSON.stringify(a.Properties.Metrics ?? []).includes(`"MetricName":"${metricName}"`),
    );
    expect(alarms).toHaveLength(1);
    const props = alarms[0]!.Properties;
    expect(props.Threshold).toBe(threshold);
    expect(JSON.stringify(props.Metrics)).toContain('"Name":"service"');
    expect(JSON.stringify(props.Metrics)).toContain('"Namespace":"SesSmtpRotation"');
    expect(JSON.stringify(props.AlarmActions)).toMatch(/Topic/);
  });

  it('alarms on an overdue rotation only after the longest gap of a month-list schedule, the window and two days', () => {
    // Prepare: 15 January and 15 July, so the gaps are 181/182 and 184 days.
    const schedule = { expression: 'cron(0 3 15 1,7 ? *)', window: '3h' };

    // Act
    const alarms = Object.values(rotationTemplate({ schedule }).findResources('AWS::CloudWatch::Alarm')).filter((a) =>
      JSON.stringify(a.Properties.Metrics ?? []).includes('"MetricName":"HoursSinceLastRotation"'),
    );

    // Assess
    expect(alarms.map((a) => a.Properties.Threshold)).toEqual([184 * 24 + 3 + 48]);
  });

  it('creates one dashboard showing the retirement and rotation metrics', () => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]?.Properties.DashboardBody);
    for (const name of [
      'HoursSinceLastRotation',
      'RotationDurationSeconds',
      'HostsUpdated',
      'OldKeyActiveHours',
      'OldKeyInUse',
      'Errors',
    ]) {
      expect(body).toContain(name);
    }
  });
});
