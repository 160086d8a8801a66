import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SesSmtpRotation } from '../../infra/lib/ses-smtp-rotation';
import {
  allStatements,
  asArray,
  baseProps,
  evaluate,
  rotationTemplate,
  stackWith,
  type FoundStatement,
} from './helpers';

/** Actions with no resource-level permissions: the only ones allowed on "*" in an identity policy. */
const NO_RESOURCE_LEVEL = new Set([
  'ssm:ListCommands',
  'ssm:ListCommandInvocations',
  'ssm:GetCommandInvocation',
  // Lambda's own network interfaces of a VPC function (validated by Lambda against "*").
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
]);

let full: Template | undefined;

/** VPC + KMS: the variant with the most statements (built once: synthesis is the slow part). */
function fullVariant(): Template {
  if (full) return full;
  const stack = stackWith((s) => {
    const vpc = ec2.Vpc.fromVpcAttributes(s, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
    });
    const key = kms.Key.fromKeyArn(
      s,
      'Key',
      'arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666',
    );
    new SesSmtpRotation(s, 'Rotation', baseProps({ vpc: { vpc }, encryptionKey: key }));
  });
  full = Template.fromStack(stack);
  return full;
}

/** Identity-policy Allow statements whose resource list holds a wildcard. */
function wildcardStatements(template: Template): FoundStatement[] {
  return allStatements(template).filter(
    (s) =>
      s.type === 'AWS::IAM::Policy' &&
      s.statement.Effect === 'Allow' &&
      asArray(s.statement.Resource).some((r) => evaluate(r, {}).includes('*')),
  );
}

describe('rotation function permissions', () => {
  const variants: [string, () => Template][] = [
    ['tag-targeted fleet', () => rotationTemplate()],
    [
      'instance-id fleet',
      () => rotationTemplate({ fleet: { instanceIds: ['i-0123456789abcdef0', 'mi-0123456789abcdef0'] } }),
    ],
    ['VPC and KMS', fullVariant],
  ];

  it.each(variants)('uses "*" only for actions without resource-level permissions (%s)', (_name, build) => {
    // Prepare
    const template = build();

    // Act
    const offending = wildcardStatements(template).filter((s) => {
      const actions = asArray(s.statement.Action);
      if (actions.every((a) => NO_RESOURCE_LEVEL.has(a))) return asArray(s.statement.Resource).length !== 1;
      // Node wildcards are allowed only for SendCommand narrowed by the fleet's tags.
      const tagConditioned = Object.keys(s.statement.Condition?.StringEquals ?? {}).some((k) =>
        k.startsWith('ssm:resourceTag/'),
      );
      const nodeWildcards = asArray(s.statement.Resource).every((r) =>
        /:(ec2|ssm):[^:]*:[^:]*:(instance|managed-instance)\/\*$/.test(evaluate(r, {})),
      );
      return !(actions.length === 1 && actions[0] === 'ssm:SendCommand' && tagConditioned && nodeWildcards);
    });

    // Assess
    expect(offending).toEqual([]);
  });

  it('targets explicit node ids by exact ARN, without wildcards', () => {
    // Prepare
    const template = rotationTemplate({ fleet: { instanceIds: ['i-0123456789abcdef0', 'mi-0123456789abcdef0'] } });
    const refs = { 'AWS::Partition': 'aws', 'AWS::Region': 'eu-west-1', 'AWS::AccountId': '123456789012' };

    // Act
    const sendCommand = allStatements(template)
      .filter((s) => asArray(s.statement.Action).includes('ssm:SendCommand'))
      .flatMap((s) => asArray(s.statement.Resource).map((r) => evaluate(r, refs)));

    // Assess
    expect(sendCommand).toEqual(
      expect.arrayContaining([
        'arn:aws:ec2:eu-west-1:123456789012:instance/i-0123456789abcdef0',
        'arn:aws:ssm:eu-west-1:123456789012:managed-instance/mi-0123456789abcdef0',
      ]),
    );
    expect(sendCommand.filter((r) => r.includes('*'))).toEqual([]);
  });

  it('attaches no managed policy to the function role', () => {
    // Prepare
    const template = fullVariant();

    // Act
    const roles = Object.values(template.findResources('AWS::IAM::Role'));

    // Assess
    for (const role of roles) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('uses the secret key only through Secrets Manager and the topic key only through SNS', () => {
    // Prepare
    const template = fullVariant();

    // Act
    const kmsStatements = allStatements(template).filter(
      (s) => s.type === 'AWS::IAM::Policy' && asArray(s.statement.Action).some((a) => a.startsWith('kms:')),
    );

    // Assess
    expect(kmsStatements).toHaveLength(2);
    const viaServices = kmsStatements.map((s) => evaluate(s.statement.Condition?.StringEquals?.['kms:ViaService'], {}));
    expect(viaServices.sort()).toEqual(['secretsmanager.eu-west-1.<AWS::URLSuffix>', 'sns.eu-west-1.<AWS::URLSuffix>']);
    const secretKeyStatement = kmsStatements.find((s) => JSON.stringify(s.statement.Resource).includes('0a1b2c3d'));
    expect(secretKeyStatement?.statement.Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
  });

  it('lets only the SMTP port and HTTPS out of the VPC', () => {
    // Prepare
    const template = fullVariant();

    // Act
    const groups = Object.values(template.findResources('AWS::EC2::SecurityGroup'));

    // Assess
    expect(groups).toHaveLength(1);
    const egress = groups[0]!.Properties.SecurityGroupEgress as {
      FromPort: number;
      ToPort: number;
      IpProtocol: string;
    }[];
    expect(egress.map((e) => [e.IpProtocol, e.FromPort, e.ToPort])).toEqual([
      ['tcp', 587, 587],
      ['tcp', 443, 443],
    ]);
    expect(groups[0]!.Properties.SecurityGroupIngress).toBeUndefined();
  });
});
