import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SesSmtpRotationStack } from '../../infra/lib/ses-smtp-rotation-stack';
import type { DeploymentSettings } from '../../infra/lib/settings';
import { FIXTURE_DOCUMENTS, INLINE_CODE, onlyResource, resourcesOfType } from './helpers';

function stackTemplate(settings: Partial<DeploymentSettings>): Template {
  const stack = new SesSmtpRotationStack(new App(), 'Relays', {
    env: { account: '123456789012', region: 'eu-west-1' },
    settings: { identities: ['example.com'], fleetTags: { Role: ['relay'] }, ...settings },
    code: INLINE_CODE,
    documentsDirectory: FIXTURE_DOCUMENTS,
  });
  return Template.fromStack(stack);
}

describe('SesSmtpRotationStack', () => {
  it('references an existing key, VPC subnets, security groups, topic and boundary by id without lookups', () => {
    // Prepare / Act
    const template = stackTemplate({
      kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666',
      vpcId: 'vpc-0123456789abcdef0',
      subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
      securityGroupIds: ['sg-0123456789abcdef0'],
      notificationTopicArn: 'arn:aws:sns:eu-west-1:123456789012:ops',
      permissionsBoundaryArn: 'arn:aws:iam::123456789012:policy/boundary',
      logRetentionDays: 90,
    });

    // Assess
    const fn = onlyResource(template, 'AWS::Lambda::Function');
    expect(fn.Properties.VpcConfig).toEqual({
      SubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
      SecurityGroupIds: ['sg-0123456789abcdef0'],
    });
    expect(resourcesOfType(template, 'AWS::EC2::SecurityGroup')).toEqual([]);
    expect(onlyResource(template, 'AWS::SecretsManager::Secret').Properties.KmsKeyId).toMatch(/^arn:aws:kms:/);
    expect(resourcesOfType(template, 'AWS::SNS::Topic')).toEqual([]);
    expect(onlyResource(template, 'AWS::IAM::Role').Properties.PermissionsBoundary).toBe(
      'arn:aws:iam::123456789012:policy/boundary',
    );
    expect(onlyResource(template, 'AWS::IAM::User').Properties.PermissionsBoundary).toBe(
      'arn:aws:iam::123456789012:policy/boundary',
    );
    for (const [, group] of resourcesOfType(template, 'AWS::Logs::LogGroup')) {
      expect(group.Properties?.RetentionInDays).toBe(90);
    }
  });

  it('outputs what an operator needs, including the on-demand rotation command', () => {
    // Prepare / Act
    const outputs = stackTemplate({}).toJSON().Outputs as Record<string, { Value: unknown }>;

    // Assess
    expect(Object.keys(outputs).sort()).toEqual([
      'CommandOutputLogGroup',
      'FleetDocumentName',
      'FunctionLogGroup',
      'FunctionName',
      'NotificationTopicArn',
      'QueriesFolder',
      'RotateNow',
      'SecretArn',
      'SmtpUserName',
    ]);
    expect(JSON.stringify(outputs.RotateNow!.Value)).toContain('aws secretsmanager rotate-secret --secret-id ');
  });

  it('refuses a log retention CloudWatch Logs does not offer', () => {
    // Prepare / Act / Assess
    expect(() => stackTemplate({ logRetentionDays: 100 })).toThrow(/logRetention is 100 days: CloudWatch Logs accepts/);
  });
});
