import { ConfigurationError } from '../../src/core/errors';
import { SesSmtpRotation } from '../../infra/lib/ses-smtp-rotation';
import {
  serializeTagTargets,
  validateSchedule,
  validateSendingScope,
  validateSmtpPort,
} from '../../infra/lib/validate';
import { baseProps, stackWith } from './helpers';

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

  it('serializes tags into the Lambda format and refuses characters of that format', () => {
    // Prepare / Act / Assess
    expect(serializeTagTargets({ Role: ['relay', 'dr'], Env: ['prod'] })).toBe('Role=relay,dr;Env=prod');
    expect(serializeTagTargets({})).toBeUndefined();
    expect(() => serializeTagTargets({ 'a=b': ['x'] })).toThrow(/fleet.tags has the key "a=b"/);
    expect(() => serializeTagTargets({ Role: ['a,b'] })).toThrow(/fleet.tags has the value "a,b"/);
    expect(() => serializeTagTargets({ Role: [] })).toThrow(/lists no values/);
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
