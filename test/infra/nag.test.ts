import { Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { SesSmtpRotation, type SesSmtpRotationProps } from '../../infra/lib/ses-smtp-rotation';
import { baseProps, nagApp, synthViolations } from './helpers';

type Variant = [string, string, (stack: Stack) => Partial<SesSmtpRotationProps>];

const variants: Variant[] = [
  ['tag-targeted fleet', 'eu-west-1', () => ({})],
  [
    'instance ids, existing topic',
    'eu-west-1',
    (s) => ({
      fleet: { instanceIds: ['i-0123456789abcdef0'] },
      notifications: { topic: sns.Topic.fromTopicArn(s, 'Topic', 'arn:aws:sns:eu-west-1:123456789012:ops') },
    }),
  ],
  [
    'VPC and KMS in aws-us-gov',
    'us-gov-west-1',
    (s) => ({
      hostRoleArns: ['arn:aws-us-gov:iam::123456789012:role/relay'],
      encryptionKey: kms.Key.fromKeyArn(
        s,
        'Key',
        'arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666',
      ),
      vpc: {
        vpc: ec2.Vpc.fromVpcAttributes(s, 'Vpc', {
          vpcId: 'vpc-0123456789abcdef0',
          availabilityZones: ['us-gov-west-1a'],
          privateSubnetIds: ['subnet-0123456789abcdef0'],
        }),
      },
    }),
  ],
];

/** Acknowledgments recorded on the construct tree, with where they were made. */
function acknowledgments(stack: Stack): { path: string; id: string; reason: string }[] {
  return stack.node.findAll().flatMap((node) =>
    node.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .map(([id, reason]) => ({ path: node.node.path, id, reason })),
  );
}

describe('cdk-nag AwsSolutions pack', () => {
  it.each(variants)('reports no unacknowledged finding and no template error (%s)', (_name, region, extra) => {
    // Prepare
    const app = nagApp();
    const stack = new Stack(app, 'Nag', { env: { account: '123456789012', region } });
    new SesSmtpRotation(stack, 'Rotation', baseProps(extra(stack)));

    // Act
    const violations = synthViolations(app);

    // Assess
    expect(violations).toEqual([]);
  });

  it('still reports a wildcard the construct did not acknowledge', () => {
    // Prepare: proves the pack runs and acknowledgments are per finding, not blanket.
    const app = nagApp();
    const stack = new Stack(app, 'Nag', { env: { account: '123456789012', region: 'eu-west-1' } });
    const rotation = new SesSmtpRotation(stack, 'Rotation', baseProps());
    rotation.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));

    // Act
    const violations = synthViolations(app);

    // Assess
    expect(violations).toEqual([
      {
        plugin: 'AwsSolutions',
        rule: 'AwsSolutions-IAM5[Resource::*]',
        paths: [expect.stringMatching(/FunctionRole\/DefaultPolicy/)],
      },
    ]);
  });

  it('gives every acknowledgment a reason and names the single finding it covers', () => {
    // Prepare
    const app = nagApp();
    const stack = new Stack(app, 'Nag', { env: { account: '123456789012', region: 'eu-west-1' } });
    new SesSmtpRotation(stack, 'Rotation', baseProps());

    // Act
    const acks = acknowledgments(stack);

    // Assess
    expect(acks.map((a) => a.id).sort()).toEqual([
      'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:eu-west-1:123456789012:instance/*]',
      'AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:eu-west-1:123456789012:managed-instance/*]',
      'AwsSolutions::AwsSolutions-L1',
    ]);
    for (const ack of acks) expect(ack.reason.length).toBeGreaterThan(40);
  });
});
