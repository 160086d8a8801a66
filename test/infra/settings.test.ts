import { settingsFromContext } from '../../infra/lib/settings';

const from = (context: Record<string, unknown>) => settingsFromContext((key) => context[key]);

describe('settingsFromContext', () => {
  it('reads comma-separated -c values and cdk.json arrays alike', () => {
    // Prepare / Act
    const fromCli = from({ identities: 'example.com, example.org', hostRoleArns: 'arn:a,arn:b' });
    const fromJson = from({ identities: ['example.com', 'example.org'], hostRoleArns: ['arn:a', 'arn:b'] });

    // Assess
    expect(fromCli).toEqual(fromJson);
    expect(fromCli).toEqual({ identities: ['example.com', 'example.org'], hostRoleArns: ['arn:a', 'arn:b'] });
  });

  it('reads fleet tags as Key=v1,v2;Key2=v or as an object', () => {
    // Prepare / Act
    const text = from({ identities: 'example.com', fleetTags: 'Role=relay,dr;Env=prod' });
    const object = from({ identities: 'example.com', fleetTags: { Role: ['relay', 'dr'], Env: 'prod' } });

    // Assess
    expect(text.fleetTags).toEqual({ Role: ['relay', 'dr'], Env: ['prod'] });
    expect(object.fleetTags).toEqual(text.fleetTags);
  });

  it('reads booleans and numbers from strings', () => {
    // Prepare / Act
    const settings = from({
      identities: 'a.com',
      fips: 'true',
      rotateImmediately: false,
      smtpPort: '465',
      logRetentionDays: 90,
    });

    // Assess
    expect(settings).toMatchObject({ fips: true, rotateImmediately: false, smtpPort: 465, logRetentionDays: 90 });
  });

  it('explains a missing or malformed key with the -c form to use', () => {
    // Prepare / Act / Assess
    expect(() => from({})).toThrow(/context key identities is required: pass -c identities=/);
    expect(() => from({ identities: 'a.com', fips: 'yes' })).toThrow(/fips must be true or false/);
    expect(() => from({ identities: 'a.com', smtpPort: '58x' })).toThrow(/smtpPort must be a whole number/);
    expect(() => from({ identities: 'a.com', fleetTags: 'Role' })).toThrow(/fleetTags has "Role"/);
    expect(() => from({ identities: 'a.com', vpcId: 'vpc-1' })).toThrow(/subnetIds is required with vpcId/);
    expect(() => from({ identities: 'a.com', subnetIds: 'subnet-1' })).toThrow(/vpcId is required/);
    expect(() => from({ identities: 'a.com', sesRegion: ['eu-west-1'] })).toThrow(/sesRegion must be a single value/);
  });

  it('refuses at synth the tag targets the function would refuse at run time (one grammar)', () => {
    // Prepare: 51 values for one key, and a key with a character EC2 tag keys cannot hold.
    const tooMany = `Role=${Array.from({ length: 51 }, (_, i) => `r${i}`).join(',')}`;

    // Act / Assess
    expect(() => from({ identities: 'a.com', fleetTags: tooMany })).toThrow(/fleetTags has .*1–50 values per key/);
    expect(() => from({ identities: 'a.com', fleetTags: 'Ro!e=relay' })).toThrow(/fleetTags has "Ro!e=relay"/);
    expect(from({ identities: 'a.com', fleetTags: 'Role=relay, relay-dr;Env=prod' }).fleetTags).toEqual({
      Role: ['relay', 'relay-dr'],
      Env: ['prod'],
    });
  });
});
