/**
 * The release template as CloudFormation will read it: loaded back through CfnInclude (no construct behind it), then
 * asserted like the construct's own template, and checked by cdk-nag on its own.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allStatements, asArray, credentialLike, evaluate, nagApp, synthViolations } from '../helpers';
import { releaseTemplateJson, type TemplateJson } from './release-fixture';

/** Actions without resource-level permissions (and SendCommand's tag-conditioned node wildcards). */
const NO_RESOURCE_LEVEL = new Set(['ssm:ListCommands', 'ssm:ListCommandInvocations', 'ssm:GetCommandInvocation']);

function included(): { stack: Stack; template: Template; app: ReturnType<typeof nagApp> } {
  const file = join(mkdtempSync(join(tmpdir(), 'ses-smtp-include-')), 'release.template.json');
  writeFileSync(file, JSON.stringify(releaseTemplateJson()));
  const app = nagApp();
  const stack = new Stack(app, 'Included');
  const release = new CfnInclude(stack, 'Release', { templateFile: file });
  // cdk-nag reads acknowledgments from the construct tree: re-apply the ones the template itself carries (and only
  // those), so "clean" means every finding is acknowledged, with its reason, in the released template.
  for (const [logicalId, resource] of Object.entries(releaseTemplateJson().Resources as Record<string, TemplateJson>)) {
    const acknowledged = (resource.Metadata?.cdk_nag?.rules_to_suppress ?? []) as { id: string; reason: string }[];
    for (const rule of acknowledged) Validations.of(release.getResource(logicalId)).acknowledge(rule);
  }
  return { stack, template: Template.fromStack(stack), app };
}

describe('the release template', () => {
  const { template, app } = included();
  const resources = releaseTemplateJson().Resources as Record<string, { Type: string; Properties: never }>;

  it('reads the function code from the CodeBucket and CodeKey parameters, and needs no CDK bootstrap', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Code: {
        S3Bucket: { 'Fn::If': ['CodeBucketIsRegional', Match.anyValue(), { Ref: 'CodeBucket' }] },
        S3Key: { Ref: 'CodeKey' },
      },
    });
    const text = JSON.stringify(releaseTemplateJson());
    expect(text).not.toMatch(/cdk-hnb659fds|BootstrapVersion|AssetParameters|aws:cdk:path|AWS::CDK::Metadata/);
  });

  it('uses "*" only for actions without resource-level permissions', () => {
    const offending = allStatements(template).filter((s) => {
      if (s.type !== 'AWS::IAM::Policy' || s.statement.Effect !== 'Allow') return false;
      if (!asArray(s.statement.Resource).some((r) => evaluate(r, {}).includes('*'))) return false;
      const actions = asArray(s.statement.Action);
      if (actions.every((a) => NO_RESOURCE_LEVEL.has(a))) return false;
      const tagConditioned = Object.keys(s.statement.Condition?.StringEquals ?? {}).some((k) =>
        k.startsWith('ssm:resourceTag/'),
      );
      return !(actions.length === 1 && actions[0] === 'ssm:SendCommand' && tagConditioned);
    });
    expect(offending).toEqual([]);
    expect(allStatements(template).flatMap((s) => asArray(s.statement.Action))).not.toContain('*');
  });

  it('lets the function send commands only to nodes tagged with the FleetTagValue parameter', () => {
    const sendCommand = allStatements(template).find(
      (s) => asArray(s.statement.Action).includes('ssm:SendCommand') && s.statement.Condition !== undefined,
    );
    expect(sendCommand?.statement.Condition).toEqual({
      StringEquals: { 'ssm:resourceTag/ses-smtp-relay': [{ Ref: 'FleetTagValue' }] },
    });
  });

  it('encrypts the topic with its own rotating key and keeps logs for a year', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  it('alarms to the topic on function errors and on the retirement gauges', () => {
    const alarms = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThanOrEqual(4);
    template.allResourcesProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [{ Ref: Match.stringLikeRegexp('NotificationsTopic') }],
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: { Ref: 'NotificationEmail' },
    });
  });

  it('grants the SES user SendRawEmail on the SendingIdentity parameter only', () => {
    const send = allStatements(template).find((s) => asArray(s.statement.Action).includes('ses:SendRawEmail'));
    const refs = {
      'AWS::Partition': 'aws',
      'AWS::Region': 'eu-west-1',
      'AWS::AccountId': '111122223333',
      SendingIdentity: 'example.com',
    };
    expect(asArray(send?.statement.Resource).map((r) => evaluate(r, refs))).toEqual([
      'arn:aws:ses:eu-west-1:111122223333:identity/example.com',
    ]);
  });

  it('holds nothing shaped like an SMTP password, access key id or secret access key', () => {
    expect(credentialLike(template)).toEqual([]);
  });

  it('is clean under cdk-nag AwsSolutions on its own', () => {
    expect(synthViolations(app)).toEqual([]);
  });
});
