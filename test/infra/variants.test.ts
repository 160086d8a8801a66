import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ENV } from '../../src/rotation/config';
import { SesSmtpRotation } from '../../infra/lib/ses-smtp-rotation';
import {
  allStatements,
  baseProps,
  evaluate,
  onlyResource,
  resourcesOfType,
  rotationTemplate,
  stackWith,
} from './helpers';

/** Properties that would give a resource a fixed name (and stop a second installation). */
const NAME_PROPERTIES = [
  'UserName',
  'RoleName',
  'FunctionName',
  'TopicName',
  'LogGroupName',
  'AlarmName',
  'Name',
  'PolicyName',
];

/** Every `Fn::Join` in the template that builds an ARN. */
function joinedArns(node: unknown): unknown[] {
  if (Array.isArray(node)) return node.flatMap(joinedArns);
  if (node === null || typeof node !== 'object') return [];
  const join = (node as Record<string, unknown>)['Fn::Join'] as [string, unknown[]] | undefined;
  if (join && join[1][0] === 'arn:') return [node];
  return Object.values(node).flatMap(joinedArns);
}

function variables(template: Template): Record<string, unknown>[] {
  return resourcesOfType(template, 'AWS::Lambda::Function').map(
    ([, fn]) => (fn.Properties as { Environment: { Variables: Record<string, unknown> } }).Environment.Variables,
  );
}

describe('SesSmtpRotation variants', () => {
  it('lets two installations coexist in one stack without shared names or crossed references', () => {
    // Prepare
    const stack = stackWith((s) => {
      new SesSmtpRotation(s, 'Eu', baseProps());
      new SesSmtpRotation(s, 'Us', baseProps({ sesRegion: 'us-east-1', fleet: { tags: { Role: ['us-relay'] } } }));
    });

    // Act
    const template = Template.fromStack(stack);
    const json = template.toJSON() as {
      Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
    };

    // Assess
    for (const type of [
      'AWS::IAM::User',
      'AWS::SecretsManager::Secret',
      'AWS::Lambda::Function',
      'AWS::SSM::Document',
    ]) {
      expect(resourcesOfType(template, type)).toHaveLength(2);
    }
    // A literal name is fixed; a reference (e.g. a permission naming its function) is not. Inline policy names
    // are per role/user and query names are checked below.
    const fixedNames = Object.entries(json.Resources).flatMap(([id, r]) =>
      NAME_PROPERTIES.filter((p) => typeof r.Properties?.[p] === 'string')
        .filter((p) => !(p === 'PolicyName' || (p === 'Name' && r.Type === 'AWS::Logs::QueryDefinition')))
        .map((p) => `${id}.${p}`),
    );
    expect(fixedNames).toEqual([]);
    const queryNames = resourcesOfType(template, 'AWS::Logs::QueryDefinition').map(([, q]) => q.Properties!.Name);
    expect(new Set(queryNames).size).toBe(6);
    for (const env of variables(template)) {
      const prefix = /^Eu|^Us/.exec((env[ENV.expectedSecretArn] as { Ref: string }).Ref)![0];
      for (const name of [ENV.iamUserName, ENV.documentName, ENV.outputLogGroup, ENV.notificationTopicArn]) {
        expect((env[name] as { Ref: string }).Ref.startsWith(prefix)).toBe(true);
      }
    }
    const services = variables(template).map((env) => env.POWERTOOLS_SERVICE_NAME);
    expect(new Set(services).size).toBe(2);
  });

  it('builds every ARN from the stack partition in an aws-us-gov stack', () => {
    // Prepare
    const template = rotationTemplate(
      { hostRoleArns: ['arn:aws-us-gov:iam::123456789012:role/relay'] },
      { env: { account: '123456789012', region: 'us-gov-west-1' } },
    );
    const refs = { 'AWS::Partition': 'aws-us-gov', 'AWS::URLSuffix': 'amazonaws.com' };

    // Act
    const text = JSON.stringify(template.toJSON());
    const arns = joinedArns(template.toJSON()).map((join) => evaluate(join, refs));

    // Assess
    expect(text).not.toMatch(/arn:aws:/);
    for (const arn of arns) expect(arn).toMatch(/^arn:aws-us-gov:/);
    expect(arns).toEqual(
      expect.arrayContaining([
        'arn:aws-us-gov:ses:us-gov-west-1:123456789012:identity/example.com',
        'arn:aws-us-gov:ec2:us-gov-west-1:123456789012:instance/*',
        'arn:aws-us-gov:ssm:us-gov-west-1:123456789012:managed-instance/*',
        expect.stringMatching(/^arn:aws-us-gov:ssm:us-gov-west-1:123456789012:document\/<RotationDocument\w+>$/),
      ]),
    );
    expect(variables(template)[0]![ENV.region]).toBe('us-gov-west-1');
  });

  it('runs in the given subnets with its own security group when placed in a VPC', () => {
    // Prepare
    const template = Template.fromStack(
      stackWith((s) => {
        const vpc = ec2.Vpc.fromVpcAttributes(s, 'Vpc', {
          vpcId: 'vpc-0123456789abcdef0',
          availabilityZones: ['eu-west-1a', 'eu-west-1b'],
          privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
        });
        new SesSmtpRotation(s, 'Rotation', baseProps({ vpc: { vpc }, smtpPort: 465 }));
      }),
    );

    // Act
    const fn = onlyResource(template, 'AWS::Lambda::Function');
    const vpcConfig = fn.Properties.VpcConfig as { SubnetIds: string[]; SecurityGroupIds: unknown[] };

    // Assess
    expect(vpcConfig.SubnetIds).toEqual(['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1']);
    expect(vpcConfig.SecurityGroupIds).toHaveLength(1);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupEgress: [
        { IpProtocol: 'tcp', FromPort: 465, ToPort: 465, CidrIp: '0.0.0.0/0' },
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' },
      ],
    });
    // Lambda checks the network-interface permissions when it creates the function.
    const vpcPolicy = resourcesOfType(template, 'AWS::IAM::Policy').find(([, p]) =>
      JSON.stringify(p.Properties).includes('ec2:CreateNetworkInterface'),
    );
    expect(fn.DependsOn).toContain(vpcPolicy![0]);
  });

  it('encrypts the secret with the given key', () => {
    // Prepare
    const keyArn = 'arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666';

    // Act
    const template = Template.fromStack(
      stackWith(
        (s) => new SesSmtpRotation(s, 'Rotation', baseProps({ encryptionKey: kms.Key.fromKeyArn(s, 'Key', keyArn) })),
      ),
    );

    // Assess
    template.hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: keyArn });
    const statement = allStatements(template).find(
      (s) => JSON.stringify(s.statement.Resource) === JSON.stringify(keyArn),
    );
    expect(statement?.statement.Condition?.StringEquals).toEqual({
      'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.eu-west-1.', { Ref: 'AWS::URLSuffix' }]] },
    });
  });

  it('publishes to an existing topic without creating one or changing its policy', () => {
    // Prepare
    const topicArn = 'arn:aws:sns:eu-west-1:123456789012:ops-alerts';

    // Act
    const template = Template.fromStack(
      stackWith(
        (s) =>
          new SesSmtpRotation(
            s,
            'Rotation',
            baseProps({ notifications: { topic: sns.Topic.fromTopicArn(s, 'Topic', topicArn) } }),
          ),
      ),
    );

    // Assess
    expect(resourcesOfType(template, 'AWS::SNS::Topic')).toHaveLength(0);
    expect(resourcesOfType(template, 'AWS::SNS::TopicPolicy')).toHaveLength(0);
    expect(resourcesOfType(template, 'AWS::KMS::Key')).toHaveLength(0);
    expect(variables(template)[0]![ENV.notificationTopicArn]).toBe(topicArn);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [topicArn] });
  });

  it('passes explicit node ids, FIPS, endpoint, TLS name and canary settings to the Lambda', () => {
    // Prepare / Act
    const template = rotationTemplate({
      fleet: { instanceIds: ['i-0123456789abcdef0'], maxConcurrency: '1', maxErrors: '0' },
      fips: true,
      smtpEndpoint: 'vpce-0abc-123.email-smtp.eu-west-1.vpce.amazonaws.com',
      smtpTlsServername: 'email-smtp.eu-west-1.amazonaws.com',
      schedule: { expression: 'rate(30 days)', window: '4h', rotateImmediatelyOnUpdate: false },
    });

    // Assess
    expect(variables(template)[0]).toMatchObject({
      [ENV.instanceIds]: 'i-0123456789abcdef0',
      [ENV.fips]: 'true',
      [ENV.endpoint]: 'vpce-0abc-123.email-smtp.eu-west-1.vpce.amazonaws.com',
      [ENV.tlsServername]: 'email-smtp.eu-west-1.amazonaws.com',
      [ENV.maxConcurrency]: '1',
    });
    expect(variables(template)[0]).not.toHaveProperty(ENV.tagTargets);
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      RotateImmediatelyOnUpdate: false,
      RotationRules: { ScheduleExpression: 'rate(30 days)', Duration: '4h' },
    });
  });

  it('derives the secret settings for an SES region other than the stack region', () => {
    // Prepare / Act
    const template = rotationTemplate({ sesRegion: 'eu-central-1' });
    const secret = onlyResource(template, 'AWS::SecretsManager::Secret');

    // Assess
    const value = JSON.parse(evaluate(secret.Properties.SecretString, {})) as Record<string, unknown>;
    expect(value).toMatchObject({ region: 'eu-central-1', endpoint: 'email-smtp.eu-central-1.amazonaws.com' });
    expect(JSON.stringify(template.toJSON())).toContain(':ses:eu-central-1:');
  });

  it('synthesizes in an environment-agnostic stack', () => {
    // Prepare
    const app = new App();
    const stack = new Stack(app, 'Agnostic');

    // Act
    new SesSmtpRotation(stack, 'Rotation', baseProps());
    const template = Template.fromStack(stack);

    // Assess
    expect(variables(template)[0]![ENV.region]).toEqual({ Ref: 'AWS::Region' });
  });
});
