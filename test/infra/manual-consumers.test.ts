import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SesSmtpRotation } from '../../infra/lib/ses-smtp-rotation';
import { allStatements, asArray, baseProps, nagApp, rotationTemplate, stackWith, synthViolations } from './helpers';

const TABLE = 'AWS::DynamoDB::Table';

/** The role's statements that name the registry table. */
function tableStatements(template: Template) {
  const [tableId] = Object.keys(template.findResources(TABLE));
  return allStatements(template).filter((s) => JSON.stringify(s.statement.Resource ?? '').includes(tableId ?? '?'));
}

describe('manual-consumer registry (construct)', () => {
  it('creates no table and sets no variable without manualConsumers: the rotation is as before', () => {
    // Act
    const template = rotationTemplate();

    // Assess
    template.resourceCountIs(TABLE, 0);
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0];
    expect(JSON.stringify(fn?.Properties.Environment)).not.toContain('MANUAL_CONSUMERS_TABLE');
  });

  it('creates an on-demand, recoverable, encrypted, retained table with a generated name', () => {
    // Act
    const template = rotationTemplate({ manualConsumers: {} });

    // Assess
    template.resourceCountIs(TABLE, 1);
    template.hasResource(TABLE, {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    });
    const table = Object.values(template.findResources(TABLE))[0];
    expect(table?.Properties.TableName).toBeUndefined();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          MANUAL_CONSUMERS_TABLE: { Ref: Match.anyValue() },
          MANUAL_CONSUMERS_ALARM_AFTER_DAYS: '7',
        }),
      },
    });
  });

  it("lets the function read and record its wait on its own secret's items only, never delete or confirm", () => {
    // Act
    const statements = tableStatements(rotationTemplate({ manualConsumers: {} }));

    // Assess
    expect(statements).toHaveLength(1);
    const statement = statements[0]!.statement;
    expect(asArray(statement.Action).sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    expect(JSON.stringify(statement.Condition)).toContain('dynamodb:LeadingKeys');
    expect(JSON.stringify(statement.Condition)).toContain('Secret');
  });

  it('lets the function re-attempt only its own secret, invoking only itself', () => {
    // Act
    const template = rotationTemplate({ manualConsumers: {} });
    const rotate = allStatements(template).filter((s) =>
      asArray(s.statement.Action).includes('secretsmanager:RotateSecret'),
    );
    const invoke = allStatements(template).filter(
      (s) => s.type === 'AWS::IAM::Policy' && asArray(s.statement.Action).includes('lambda:InvokeFunction'),
    );

    // Assess
    expect(rotate).toHaveLength(1);
    expect(JSON.stringify(rotate[0]?.statement.Resource)).toMatch(/Secret/);
    expect(invoke).toHaveLength(1);
    expect(JSON.stringify(invoke[0]?.statement.Resource)).toMatch(/Function.*Arn/);
  });

  it('alarms on the days waited, at the configured threshold, to the topic', () => {
    const template = rotationTemplate({ manualConsumers: { alarmAfterDays: 3 } });

    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ManualConsumersWaitingDays',
      Threshold: 3,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: Match.anyValue(),
    });
  });

  it('uses a customer managed key when given', () => {
    const template = Template.fromStack(
      stackWith((s) => {
        const key = kms.Key.fromKeyArn(
          s,
          'K',
          'arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666',
        );
        new SesSmtpRotation(s, 'Rotation', baseProps({ manualConsumers: { encryptionKey: key } }));
      }),
    );

    template.hasResourceProperties(TABLE, {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.stringLikeRegexp('0a1b2c3d') },
    });
  });

  it('refuses an alarm threshold outside 1–90 days, naming the prop', () => {
    expect(() => rotationTemplate({ manualConsumers: { alarmAfterDays: 0 } })).toThrow(
      /manualConsumers.alarmAfterDays is 0: give a whole number of days from 1 to 90/,
    );
  });

  it('grants people confirm and manage on this secret only', () => {
    const template = Template.fromStack(
      stackWith((s) => {
        const rotation = new SesSmtpRotation(s, 'Rotation', baseProps({ manualConsumers: {} }));
        const people = new iam.Role(s, 'MailOps', { assumedBy: new iam.AccountRootPrincipal() });
        rotation.manualConsumers?.grantConfirm(people);
      }),
    );

    const confirm = allStatements(template).find((s) =>
      asArray(s.statement.Action).includes('dynamodb:ConditionCheckItem'),
    );
    expect(asArray(confirm?.statement.Action).sort()).toEqual([
      'dynamodb:ConditionCheckItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
    ]);
    expect(JSON.stringify(confirm?.statement.Condition)).toContain('dynamodb:LeadingKeys');
  });

  it('passes cdk-nag with no new acknowledgment', () => {
    const app = nagApp();
    const stack = new Stack(app, 'Nag', { env: { account: '123456789012', region: 'eu-west-1' } });
    new SesSmtpRotation(stack, 'Rotation', baseProps({ manualConsumers: {} }));

    expect(synthViolations(app)).toEqual([]);
  });
});
