import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SesSmtpRotation } from '../../infra/lib/ses-smtp-rotation';
import {
  allStatements,
  asArray,
  baseProps,
  evaluate,
  nagApp,
  rotationTemplate,
  stackWith,
  synthViolations,
} from './helpers';

const REFS = { 'AWS::Partition': 'aws', 'AWS::Region': 'eu-west-1', 'AWS::AccountId': '123456789012' };
const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666';

describe('Parameter Store copy (construct)', () => {
  it('lets the function get and put exactly the one parameter, and names it in the environment', () => {
    // Act
    const template = rotationTemplate({ parameterStore: { name: '/mail/ses-smtp' } });

    // Assess
    const statements = allStatements(template).filter((s) => asArray(s.statement.Action).includes('ssm:PutParameter'));
    expect(statements).toHaveLength(1);
    expect(asArray(statements[0]?.statement.Action).sort()).toEqual(['ssm:GetParameter', 'ssm:PutParameter']);
    expect(asArray(statements[0]?.statement.Resource).map((r) => evaluate(r, REFS))).toEqual([
      'arn:aws:ssm:eu-west-1:123456789012:parameter/mail/ses-smtp',
    ]);
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0];
    expect(fn?.Properties.Environment.Variables.PARAMETER_STORE_NAME).toBe('/mail/ses-smtp');
  });

  it('uses a customer managed key only through SSM, and grants readers GetParameter and Decrypt', () => {
    const template = Template.fromStack(
      stackWith((s) => {
        const key = kms.Key.fromKeyArn(s, 'PsKey', KEY);
        const rotation = new SesSmtpRotation(
          s,
          'Rotation',
          baseProps({ parameterStore: { name: '/mail/ses-smtp', encryptionKey: key } }),
        );
        rotation.parameterStore?.grantRead(new iam.Role(s, 'Reader', { assumedBy: new iam.AccountRootPrincipal() }));
      }),
    );

    const kmsStatements = allStatements(template).filter((s) =>
      JSON.stringify(s.statement.Resource ?? '').includes('0a1b2c3d'),
    );
    expect(kmsStatements.map((s) => asArray(s.statement.Action).sort())).toEqual(
      expect.arrayContaining([['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], ['kms:Decrypt']]),
    );
    for (const s of kmsStatements) expect(JSON.stringify(s.statement.Condition)).toContain('kms:ViaService');
    const reads = allStatements(template).filter(
      (s) => asArray(s.statement.Action).length === 1 && asArray(s.statement.Action)[0] === 'ssm:GetParameter',
    );
    expect(reads).toHaveLength(1);
  });

  it('refuses a name under the reserved aws prefix, naming the prop', () => {
    expect(() => rotationTemplate({ parameterStore: { name: '/aws/reference/x' } })).toThrow(/parameterStore.name/);
  });

  it('passes cdk-nag with no new acknowledgment', () => {
    const app = nagApp();
    const stack = new Stack(app, 'Nag', { env: { account: '123456789012', region: 'eu-west-1' } });
    new SesSmtpRotation(stack, 'Rotation', baseProps({ parameterStore: { name: '/mail/ses-smtp' } }));

    expect(synthViolations(app)).toEqual([]);
  });
});
