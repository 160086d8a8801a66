import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** A SecureString copy of the promoted credential, for consumers that read only Parameter Store. */
export interface ParameterStoreOptions {
  /** Parameter name, e.g. `/mail/ses-smtp`. The function creates it at the first promotion (CloudFormation cannot create SecureString parameters). */
  readonly name: string;
  /** Customer managed key of the SecureString. @default the account's `aws/ssm` key */
  readonly encryptionKey?: kms.IKey;
}

/** The function's access to the one parameter it writes, and a grant for its readers. */
export class ParameterStoreCopy extends Construct {
  readonly parameterArn: string;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: ParameterStoreOptions & { readonly role: iam.IRole },
  ) {
    super(scope, id);
    // The name is checked with the function's own rule (isParameterName) where the construct builds the function's
    // environment: rotationEnvironment names this prop when the loader refuses it.
    this.parameterArn = Stack.of(this).formatArn({
      service: 'ssm',
      resource: 'parameter',
      resourceName: props.name.replace(/^\//, ''),
    });
    iam.Grant.addToPrincipal({
      grantee: props.role,
      actions: ['ssm:GetParameter', 'ssm:PutParameter'],
      resourceArns: [this.parameterArn],
    });
    this.grantKey(props.role, ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey']);
  }

  /** What a consumer needs to read the copy: ssm:GetParameter on it, and kms:Decrypt through SSM with a CMK. */
  grantRead(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({ grantee, actions: ['ssm:GetParameter'], resourceArns: [this.parameterArn] });
    this.grantKey(grantee, ['kms:Decrypt']);
  }

  private grantKey(grantee: iam.IGrantable, actions: string[]): void {
    const key = this.props.encryptionKey;
    if (!key) return;
    iam.Grant.addToPrincipal({
      grantee,
      actions,
      resourceArns: [key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `ssm.${Stack.of(this).region}.${Stack.of(this).urlSuffix}` } },
    });
  }
}
