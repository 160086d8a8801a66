import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import type { VpcPlacement } from './props';

/**
 * The function's security group in a VPC: no ingress, egress only to the SES SMTP port and to HTTPS (the AWS
 * APIs: Secrets Manager, IAM, SSM, SNS, CloudWatch Logs).
 */
export function rotationSecurityGroups(
  scope: Construct,
  placement: VpcPlacement,
  smtpPort: number,
): ec2.ISecurityGroup[] {
  if (placement.securityGroups && placement.securityGroups.length > 0) return [...placement.securityGroups];
  const group = new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc: placement.vpc,
    description: 'SES SMTP rotation function: SMTP to SES and HTTPS to AWS APIs only',
    allowAllOutbound: false,
  });
  group.addEgressRule(
    placement.smtpPeer ?? ec2.Peer.anyIpv4(),
    ec2.Port.tcp(smtpPort),
    `SMTP AUTH probe to SES on ${smtpPort}`,
  );
  group.addEgressRule(placement.awsApiPeer ?? ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs');
  return [group];
}
