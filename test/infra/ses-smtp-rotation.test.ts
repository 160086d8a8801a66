import { Match } from 'aws-cdk-lib/assertions';
import { ENV } from '../../src/rotation/config';
import { asArray, evaluate, onlyResource, resourcesOfType, rotationTemplate } from './helpers';

describe('SesSmtpRotation', () => {
  const template = rotationTemplate({ sending: { identities: ['example.com'], configurationSet: 'relays' } });
  const refs = { 'AWS::Partition': 'aws', 'AWS::Region': 'eu-west-1', 'AWS::AccountId': '123456789012' };

  it('creates the SES user with a send-only policy on the identity and the configuration set', () => {
    // Prepare
    const userId = onlyResource(template, 'AWS::IAM::User').id;
    const policies = resourcesOfType(template, 'AWS::IAM::Policy').filter(([, r]) =>
      JSON.stringify(r.Properties?.Users ?? []).includes(userId),
    );

    // Act
    const statements = policies.flatMap(([, r]) => (r.Properties!.PolicyDocument as { Statement: object[] }).Statement);

    // Assess
    expect(statements).toHaveLength(1);
    const statement = statements[0] as { Action: string; Resource: unknown[] };
    expect(statement.Action).toBe('ses:SendRawEmail');
    expect(statement.Resource.map((r) => evaluate(r, refs)).sort()).toEqual([
      'arn:aws:ses:eu-west-1:123456789012:configuration-set/relays',
      'arn:aws:ses:eu-west-1:123456789012:identity/example.com',
    ]);
  });

  it('creates no access key and no user name: the first key is minted by the first rotation', () => {
    // Prepare / Act
    const keys = resourcesOfType(template, 'AWS::IAM::AccessKey');
    const user = onlyResource(template, 'AWS::IAM::User');

    // Assess
    expect(keys).toHaveLength(0);
    expect(user.Properties).not.toHaveProperty('UserName');
    expect(user.Properties).not.toHaveProperty('LoginProfile');
  });

  it('creates the secret with settings only, never a generated string', () => {
    // Prepare
    const secret = onlyResource(template, 'AWS::SecretsManager::Secret');

    // Act
    const value = JSON.parse(evaluate((secret.Properties as { SecretString: unknown }).SecretString, refs)) as Record<
      string,
      unknown
    >;

    // Assess
    expect(secret.Properties).not.toHaveProperty('GenerateSecretString');
    expect(Object.keys(value).sort()).toEqual(['endpoint', 'iamUserName', 'port', 'region']);
    expect(value).toMatchObject({
      region: 'eu-west-1',
      endpoint: 'email-smtp.eu-west-1.amazonaws.com',
      port: 587,
      iamUserName: expect.stringMatching(/^<RotationSmtpUser\w+>$/),
    });
  });

  it('rotates immediately on deploy on a cron schedule with a window', () => {
    // Prepare / Act / Assess
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      RotateImmediatelyOnUpdate: true,
      RotationRules: { ScheduleExpression: 'cron(0 3 1 1/3 ? *)', Duration: '3h' },
      SecretId: { Ref: Match.stringLikeRegexp('Secret') },
      RotationLambdaARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('Function'), 'Arn'] },
    });
  });

  it('lets only Secrets Manager of this account invoke the function, for this secret only', () => {
    // Prepare / Act / Assess
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'secretsmanager.amazonaws.com',
      SourceAccount: '123456789012',
      SourceArn: { Ref: Match.stringLikeRegexp('Secret') },
    });
    // The only other invoker: the hourly retirement rule (tests in retirement.test.ts).
    const invokers = resourcesOfType(template, 'AWS::Lambda::Permission').map(([, r]) => r.Properties?.Principal);
    expect(invokers.sort()).toEqual(['events.amazonaws.com', 'secretsmanager.amazonaws.com']);
  });

  it('creates the schedule after the invoke permission and the role policies (aws/aws-cdk#26481)', () => {
    // Prepare
    const schedule = onlyResource(template, 'AWS::SecretsManager::RotationSchedule');
    const permissionId = resourcesOfType(template, 'AWS::Lambda::Permission').find(
      ([, r]) => r.Properties?.Principal === 'secretsmanager.amazonaws.com',
    )?.[0];
    const rolePolicies = resourcesOfType(template, 'AWS::IAM::Policy')
      .filter(([, r]) => r.Properties?.Roles !== undefined)
      .map(([id]) => id);

    // Act / Assess
    expect(rolePolicies.length).toBeGreaterThanOrEqual(2);
    expect(schedule.DependsOn).toEqual(expect.arrayContaining([permissionId, ...rolePolicies]));
  });

  it('runs the function on nodejs22.x, arm64, for 15 minutes, logging to a group with retention', () => {
    // Prepare / Act / Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Timeout: 900,
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('FunctionLogs') } },
    });
    for (const [, group] of resourcesOfType(template, 'AWS::Logs::LogGroup')) {
      expect(group.Properties?.RetentionInDays).toBe(365);
    }
  });

  it('sets exactly the variables the Lambda reads, plus the Powertools ones', () => {
    // Prepare
    const variables = onlyResource(template, 'AWS::Lambda::Function').Properties.Environment.Variables as Record<
      string,
      unknown
    >;
    const allowed = new Set<string>([...Object.values(ENV), 'POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE']);

    // Act
    const unknown = Object.keys(variables).filter((name) => !allowed.has(name));

    // Assess
    expect(unknown).toEqual([]);
    expect(variables).toMatchObject({
      [ENV.iamUserName]: { Ref: expect.stringMatching(/SmtpUser/) },
      [ENV.region]: 'eu-west-1',
      [ENV.expectedSecretArn]: { Ref: expect.stringMatching(/Secret/) },
      [ENV.documentName]: { Ref: expect.stringMatching(/Document/) },
      [ENV.tagTargets]: 'Role=relay,relay-dr;Env=prod',
      [ENV.outputLogGroup]: { Ref: expect.stringMatching(/CommandOutput/) },
      [ENV.notificationTopicArn]: { Ref: expect.stringMatching(/Topic/) },
      [ENV.maxConcurrency]: '10%',
      [ENV.maxErrors]: '0',
      POWERTOOLS_METRICS_NAMESPACE: 'SesSmtpRotation',
      POWERTOOLS_SERVICE_NAME: expect.stringMatching(/^ses-smtp-rotation-/),
    });
    expect(variables).not.toHaveProperty(ENV.instanceIds);
  });

  it('creates the SSM documents as Command documents with generated names', () => {
    // Prepare / Act
    const document = onlyResource(template, 'AWS::SSM::Document');

    // Assess
    expect(document.Properties).toMatchObject({ DocumentType: 'Command', DocumentFormat: 'JSON' });
    expect(document.Properties).not.toHaveProperty('Name');
    expect(document.Properties.Content).toMatchObject({
      schemaVersion: '2.2',
      parameters: { SecretArn: {}, VersionId: {} },
    });
  });

  it('lets the host roles read the secret without a version-stage condition', () => {
    // Prepare / Act / Assess
    template.hasResourceProperties('AWS::SecretsManager::ResourcePolicy', {
      ResourcePolicy: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'secretsmanager:GetSecretValue',
            Principal: { AWS: 'arn:aws:iam::123456789012:role/relay' },
            Resource: { Ref: Match.stringLikeRegexp('Secret') },
            Condition: Match.absent(),
          },
        ],
      },
    });
  });

  it('routes the rotation-failure service events of this secret to the topic', () => {
    // Prepare / Act / Assess
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.secretsmanager'],
        'detail-type': ['AWS Service Event via CloudTrail'],
        detail: {
          eventSource: ['secretsmanager.amazonaws.com'],
          eventName: ['RotationFailed', 'RotationAbandoned', 'TestRotationFailed'],
          additionalEventData: { SecretId: [{ Ref: Match.stringLikeRegexp('Secret') }] },
        },
      },
      Targets: [{ Arn: { Ref: Match.stringLikeRegexp('Topic') } }],
    });
  });

  it('alarms on any function error and notifies the topic', () => {
    // Prepare / Act / Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('Function') } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('Topic') }],
    });
  });

  it('encrypts the topic with a rotating customer key and refuses publishing without TLS', () => {
    // Prepare / Act / Assess
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('Key'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
  });

  it('lets only its own rule and alarms publish to the topic', () => {
    // Prepare
    const policy = onlyResource(template, 'AWS::SNS::TopicPolicy');
    const allows = (policy.Properties.PolicyDocument.Statement as Record<string, unknown>[]).filter(
      (s) => s.Effect === 'Allow',
    );

    // Act / Assess
    // The failure rule and alarm, and the three retirement alarms (retirement.test.ts).
    expect(allows).toHaveLength(5);
    for (const statement of allows) {
      expect(statement.Condition).toMatchObject({
        ArnEquals: {
          'aws:SourceArn': {
            'Fn::GetAtt': [
              expect.stringMatching(/RotationFailed|FunctionErrors|OldKeyInUse|OldKeyStillActive|RotationOverdue/),
              'Arn',
            ],
          },
        },
        StringEquals: { 'aws:SourceAccount': '123456789012' },
      });
    }
  });

  it('saves Logs Insights queries for the last rotations, the failed hosts and the host results', () => {
    // Prepare
    const queries = resourcesOfType(template, 'AWS::Logs::QueryDefinition').map(([, q]) => q.Properties!);

    // Act
    const byName = Object.fromEntries(
      queries.map((q) => [String(q.Name).split('/').pop(), evaluate(q.QueryString, {})]),
    );

    // Assess
    expect(Object.keys(byName).sort()).toEqual(['host-results', 'hosts-that-failed', 'last-rotations']);
    expect(byName['last-rotations']).toMatch(/filter secretArn = '<RotationSecret\w+>'/);
    expect(byName['last-rotations']).toMatch(/by versionId/);
    expect(byName['hosts-that-failed']).toMatch(/filter event = 'push-failed'/);
    expect(byName['hosts-that-failed']).toMatch(/commandId/);
    expect(byName['host-results']).toMatch(/ses-smtp-rotation-result/);
  });

  it('grants the function every action the rotation needs on exactly its resources', () => {
    // Prepare
    const statements = resourcesOfType(template, 'AWS::IAM::Policy')
      .filter(([, r]) => r.Properties?.Roles !== undefined)
      .flatMap(([, r]) => (r.Properties!.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement);
    const resourcesOf = (action: string) =>
      statements
        .filter((s) => asArray(s.Action as string | string[]).includes(action))
        .flatMap((s) => asArray(s.Resource).map((r) => evaluate(r, refs)));

    // Act / Assess
    for (const action of ['DescribeSecret', 'GetSecretValue', 'PutSecretValue', 'UpdateSecretVersionStage']) {
      expect(resourcesOf(`secretsmanager:${action}`)).toEqual([expect.stringMatching(/^<RotationSecret\w+>$/)]);
    }
    for (const action of [
      'ListAccessKeys',
      'CreateAccessKey',
      'DeleteAccessKey',
      'GetAccessKeyLastUsed',
      'UpdateAccessKey',
    ]) {
      expect(resourcesOf(`iam:${action}`)).toEqual([expect.stringMatching(/^<RotationSmtpUser\w+\.Arn>$/)]);
    }
    // Least privilege: nothing the function never calls.
    expect(resourcesOf('secretsmanager:ListSecretVersionIds')).toEqual([]);
    expect(resourcesOf('ssm:SendCommand').sort()).toEqual([
      'arn:aws:ec2:eu-west-1:123456789012:instance/*',
      expect.stringMatching(/^arn:aws:ssm:eu-west-1:123456789012:document\/<RotationDocument\w+>$/),
      'arn:aws:ssm:eu-west-1:123456789012:managed-instance/*',
    ]);
    expect(resourcesOf('sns:Publish')).toEqual([expect.stringMatching(/^<RotationNotificationsTopic\w+>$/)]);
    expect(resourcesOf('logs:PutLogEvents')).toEqual([expect.stringMatching(/^<RotationFunctionLogs\w+\.Arn>$/)]);
    expect(resourcesOf('secretsmanager:GetRandomPassword')).toEqual([]);
  });

  it('narrows SendCommand on nodes to the fleet tags, ANDing keys and ORing values', () => {
    // Prepare / Act / Assess
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'ssm:SendCommand',
            Condition: {
              StringEquals: { 'ssm:resourceTag/Role': ['relay', 'relay-dr'], 'ssm:resourceTag/Env': ['prod'] },
            },
          }),
        ]),
      },
    });
  });
});
