import { ConfigurationError } from '../../src/core/errors';
import { parseTagTargets } from '../../src/rotation/config';
import { SesSmtpRotation } from '../../infra/lib/ses-smtp-rotation';
import {
  serializeTagTargets,
  validateSchedule,
  validateSendingScope,
  validateSmtpPort,
} from '../../infra/lib/validate';
import { baseProps, stackWith } from './helpers';

function verdict(run: () => unknown): 'accepted' | 'refused' {
  try {
    run();
    return 'accepted';
  } catch {
    return 'refused';
  }
}

function build(overrides: Parameters<typeof baseProps>[0]): () => void {
  return () => stackWith((s) => new SesSmtpRotation(s, 'Rotation', baseProps(overrides)));
}

describe('construct prop validation', () => {
  it('refuses an empty sending scope and names the prop', () => {
    // Prepare / Act / Assess
    expect(() => validateSendingScope({ identities: [] })).toThrow(/sending.identities is empty/);
    expect(() => validateSendingScope({ identities: ['*'] })).toThrow(ConfigurationError);
    expect(() => validateSendingScope({ identities: ['a.com'], configurationSet: 'bad name' })).toThrow(
      /sending.configurationSet/,
    );
  });

  it('accepts domains and addresses as identities', () => {
    // Prepare / Act / Assess
    expect(() => validateSendingScope({ identities: ['example.com', 'relay@example.com'] })).not.toThrow();
  });

  it('serializes tags into the Lambda format the function reads back unchanged', () => {
    // Prepare
    const tags = {
      Role: ['relay', 'dr'],
      'aws:ec2/name @1': ['x'],
      Env: Array.from({ length: 50 }, (_, i) => `e${i}`),
    };

    // Act
    const text = serializeTagTargets(tags);

    // Assess
    expect(text).toMatch(/^Role=relay,dr;aws:ec2\/name @1=x;Env=e0,e1,/);
    expect(parseTagTargets(text)).toEqual(Object.entries(tags).map(([key, values]) => ({ key, values })));
    expect(serializeTagTargets({})).toBeUndefined();
  });

  it.each([
    ['a key with a character EC2 tag keys may not hold', { 'Ro!e': ['x'] }, /entry 1 has a key Run Command cannot/],
    ['a key holding the format separator =', { Role: ['x'], 'a=b': ['x'] }, /entry 2 has a key/],
    ['a key longer than 128 characters', { ['k'.repeat(129)]: ['x'] }, /entry 1 has a key/],
    ['a key with a trailing space', { 'Role ': ['x'] }, /entry 1 has a key/],
    ['no values', { Role: [] }, /entry 1 lists 0 values: give 1–50/],
    ['more than 50 values', { Role: Array.from({ length: 51 }, (_, i) => `r${i}`) }, /lists 51 values: give 1–50/],
    ['a value with a separator', { Role: ['relay', 'a,b'] }, /entry 1 has value 2, which is empty, contains ;/],
    ['a blank value', { Role: [' '] }, /entry 1 has value 1/],
  ])('refuses tags at synth, naming the prop and not the tag, for %s', (_, tags, message) => {
    // Prepare / Act
    const refuse = () => serializeTagTargets(tags);

    // Assess
    expect(refuse).toThrow(ConfigurationError);
    expect(refuse).toThrow(/^SesSmtpRotation prop fleet\.tags /);
    expect(refuse).toThrow(message);
    expect(refuse).not.toThrow(/Ro!e|a=b|relay|kkk/);
  });

  it('refuses at synth every tag key and value count the function refuses at run time', () => {
    // Prepare: keys and counts around the grammar's limits.
    const cases = [
      { key: 'k'.repeat(128), values: ['x'] },
      { key: 'k'.repeat(129), values: ['x'] },
      { key: 'Ro!e', values: ['x'] },
      { key: 'Role', values: Array.from({ length: 50 }, (_, i) => `r${i}`) },
      { key: 'Role', values: Array.from({ length: 51 }, (_, i) => `r${i}`) },
    ];

    // Act
    const verdicts = cases.map(({ key, values }) => [
      verdict(() => serializeTagTargets({ [key]: values })),
      verdict(() => parseTagTargets(`${key}=${values.join(',')}`)),
    ]);

    // Assess
    expect(verdicts.map(([synth]) => synth)).toEqual(['accepted', 'refused', 'refused', 'accepted', 'refused']);
    for (const [synth, runTime] of verdicts) expect(synth).toBe(runTime);
  });

  it('allows only SES ports Lambda can use', () => {
    // Prepare / Act / Assess
    for (const port of [587, 465, 2587, 2465]) expect(() => validateSmtpPort(port)).not.toThrow();
    expect(() => validateSmtpPort(25)).toThrow(/smtpPort is 25: use 587/);
    expect(() => validateSmtpPort(2525)).toThrow(/smtpPort is 2525/);
  });

  it('accepts Secrets Manager cron and rate expressions with a window inside the UTC day', () => {
    // Prepare / Act / Assess
    expect(() => validateSchedule('cron(0 3 1 1/3 ? *)', '3h')).not.toThrow();
    expect(() => validateSchedule('cron(0 22 ? * SUN *)', '2h')).not.toThrow();
    expect(() => validateSchedule('rate(90 days)', '24h')).not.toThrow();
  });

  it('refuses schedules Secrets Manager would reject', () => {
    // Prepare / Act / Assess
    expect(() => validateSchedule('cron(30 3 * * ? *)', '3h')).toThrow(/schedule.expression.*minutes 0/);
    expect(() => validateSchedule('cron(0 3 * * ?)', '3h')).toThrow(/schedule.expression/);
    expect(() => validateSchedule('rate(2 hours)', '1h')).toThrow(/4–23 hours/);
    expect(() => validateSchedule('every 90 days', '3h')).toThrow(/schedule.expression/);
    expect(() => validateSchedule('rate(90 days)', '3d')).toThrow(/schedule.window is "3d"/);
    expect(() => validateSchedule('cron(0 23 ? * SUN *)', '3h')).toThrow(/cross midnight UTC/);
  });

  it('refuses a cron that never starts a rotation, naming the expression', () => {
    // Prepare / Act / Assess: 30 February never comes.
    expect(() => validateSchedule('cron(0 3 30 2 ? *)', '3h')).toThrow(
      /schedule.expression is "cron\(0 3 30 2 \? \*\)": it starts fewer than two rotations in eight years/,
    );
    expect(() => validateSchedule('cron(0 3 29 2 ? *)', '3h')).not.toThrow(); // leap years: every four years
  });

  it('refuses a cron that rotates more often than every four hours', () => {
    // Prepare / Act / Assess
    expect(() => validateSchedule('cron(0 */2 * * ? *)', '1h')).toThrow(/starts rotations 2 hours apart/);
    expect(() => validateSchedule('cron(0 0,3 * * ? *)', '1h')).toThrow(/3 hours apart/);
    expect(() => validateSchedule('cron(0 */4 * * ? *)', '1h')).not.toThrow();
  });

  it('refuses a window longer than the shortest time between two rotations', () => {
    // Prepare / Act / Assess
    expect(() => validateSchedule('rate(4 hours)', '6h')).toThrow(
      /schedule.window of 6h is longer than the shortest time between two rotations of "rate\(4 hours\)" \(4 hours\)/,
    );
    expect(() => validateSchedule('cron(0 0,6 * * ? *)', '8h')).toThrow(/\(6 hours\): shorten it/);
    expect(() => validateSchedule('cron(0 0,6 * * ? *)', '6h')).not.toThrow();
  });

  it('fails synth with the prop name when the Lambda loader would refuse the configuration', () => {
    // Prepare / Act / Assess
    expect(build({ fleet: {} })).toThrow(/fleet.tags is invalid .*FLEET_TARGET_TAGS is empty/);
    expect(build({ fleet: { tags: { Role: ['r'] }, instanceIds: ['i-0123456789abcdef0'] } })).toThrow(
      /fleet.instanceIds is invalid/,
    );
    expect(build({ fleet: { tags: { Role: ['r'] }, maxConcurrency: '0' } })).toThrow(/fleet.maxConcurrency is invalid/);
    expect(build({ fleet: { instanceIds: ['i-123'] } })).toThrow(/fleet.instanceIds is invalid/);
    expect(build({ sesRegion: 'EU_WEST_1' })).toThrow(/sesRegion is invalid/);
    expect(build({ sesRegion: 'eu-west-1', smtpEndpoint: 'email-smtp.us-east-1.amazonaws.com' })).toThrow(
      /smtpEndpoint is invalid .*region/,
    );
  });

  it('refuses malformed host role ARNs and e-mail addresses', () => {
    // Prepare / Act / Assess
    expect(build({ hostRoleArns: ['relay-role'] })).toThrow(/hostRoleArns contains "relay-role"/);
    expect(build({ notifications: { emails: ['ops'] } })).toThrow(/notifications.emails contains "ops"/);
  });
});
