import { Template } from 'aws-cdk-lib/assertions';
import { SesSmtpRotation } from '../../infra/lib/ses-smtp-rotation';
import { baseProps, credentialLike, resourcesOfType, stackWith } from './helpers';

describe('synthesized template', () => {
  const template = Template.fromStack(
    stackWith((s) => {
      new SesSmtpRotation(s, 'First', baseProps());
      new SesSmtpRotation(s, 'Second', baseProps({ fleet: { instanceIds: ['i-0123456789abcdef0'] } }));
    }),
  );

  it('holds nothing shaped like an SMTP password, access key id or secret access key', () => {
    // Prepare / Act
    const found = credentialLike(template);

    // Assess
    expect(found).toEqual([]);
  });

  it('would catch a credential if one were in it', () => {
    // Prepare: the detector itself must work, or the test above proves nothing.
    const poisoned = Template.fromStack(
      stackWith((s) => {
        const rotation = new SesSmtpRotation(s, 'Rotation', baseProps());
        rotation.function.addEnvironment('LEAK', 'BOx4h7cX3nPq9Vw2Lr5sTz8yKm1Jd6Fg0Hc4Ab7Ee9Ii');
        rotation.function.addEnvironment('LEAK_ID', 'AKIAIOSFODNN7EXAMPLE');
        rotation.function.addEnvironment('LEAK_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
      }),
    );

    // Act
    const found = credentialLike(poisoned);

    // Assess
    expect(found.sort()).toEqual(
      [
        'AKIAIOSFODNN7EXAMPLE',
        'BOx4h7cX3nPq9Vw2Lr5sTz8yKm1Jd6Fg0Hc4Ab7Ee9Ii',
        'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      ].sort(),
    );
  });

  it('has no access key resource, no generated secret string and no credential fields', () => {
    // Prepare
    const text = JSON.stringify(template.toJSON());

    // Act / Assess
    expect(resourcesOfType(template, 'AWS::IAM::AccessKey')).toEqual([]);
    expect(text).not.toContain('GenerateSecretString');
    expect(text).not.toMatch(/\\"(password|username|secretAccessKey)\\"/i);
  });
});
