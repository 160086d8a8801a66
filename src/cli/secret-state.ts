/**
 * What the operator commands read about a secret and its rotation function: staging labels, rotation settings,
 * what the AWSCURRENT / AWSPENDING versions hold (never the password: only the key id, region, endpoint, user),
 * and the function's environment validated with the rotation's own loadConfig.
 */
import { GetFunctionConfigurationCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import {
  DescribeSecretCommand,
  paginateListSecretVersionIds,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { SecretStore } from '../aws/secret-store';
import { parseSecretValue, withoutPasswords, type CredentialWithoutPasswords, type SmtpSettings } from '../core/secret';
import { ENV, loadConfig, type RotationConfig } from '../rotation/config';
import { RETIREMENT_TAGS } from '../rotation/retirement';
import { credentialOf } from '../rotation/credential';
import { regionOfArn } from './aws-clients';
import { awsCall, problemOf } from './aws-errors';

/** One version of the secret with its labels. */
export interface VersionInfo {
  readonly versionId: string;
  readonly stages: readonly string[];
  readonly created?: Date;
}

/** The secret's rotation state. */
export interface SecretState {
  readonly arn: string;
  readonly name: string;
  readonly rotationEnabled: boolean;
  readonly rotationLambdaArn?: string;
  readonly lastRotatedDate?: Date;
  readonly nextRotationDate?: Date;
  /** The value of the emergency tag (`rotate --emergency`), while it is set. */
  readonly emergencyRequested?: string;
  /** The value of the immediate-retirement tag (`rotate --immediate-retirement`), while it is set. */
  readonly immediateRetirementRequested?: string;
  /** Labelled versions, AWSCURRENT first. */
  readonly versions: readonly VersionInfo[];
  readonly current?: string;
  readonly pending?: string;
  readonly previous?: string;
}

/** What one version holds, without its password. */
export type VersionContent =
  | { readonly kind: 'no-value' }
  | { readonly kind: 'empty'; readonly asPending: string }
  | { readonly kind: 'settings'; readonly settings: SmtpSettings; readonly asPending: string }
  | { readonly kind: 'credential'; readonly credential: CredentialWithoutPasswords }
  | { readonly kind: 'unreadable'; readonly problem: string; readonly asPending: string };

/** A rotation function's configuration as the CLI sees it. */
export type FunctionState =
  | { readonly ok: true; readonly arn: string; readonly config: RotationConfig; readonly logGroup: string }
  | {
      readonly ok: false;
      readonly arn: string;
      readonly problem: string;
      readonly iamUserName?: string;
      /** Known when the configuration was read (an invalid environment); undefined when the read failed. */
      readonly logGroup?: string;
    };

const ORDER = ['AWSCURRENT', 'AWSPENDING', 'AWSPREVIOUS'];

/** DescribeSecret + ListSecretVersionIds. @throws AwsCallError naming the call, the secret and the region */
export async function readSecretState(
  client: SecretsManagerClient,
  secretId: string,
  region?: string,
): Promise<SecretState> {
  const call = (action: string) => ({ action, resource: `secret ${secretId}`, ...(region ? { region } : {}) });
  const described = await awsCall(call('secretsmanager:DescribeSecret'), () =>
    client.send(new DescribeSecretCommand({ SecretId: secretId })),
  );
  const listed = await awsCall(call('secretsmanager:ListSecretVersionIds'), () => listVersions(client, secretId));
  const versions = listed.filter((v) => v.stages.length > 0).sort((a, b) => rank(a.stages) - rank(b.stages));
  const holder = (stage: string) => versions.find((v) => v.stages.includes(stage))?.versionId;
  const current = holder('AWSCURRENT');
  const pending = holder('AWSPENDING');
  const previous = holder('AWSPREVIOUS');
  return {
    arn: described.ARN ?? secretId,
    name: described.Name ?? secretId,
    rotationEnabled: described.RotationEnabled === true,
    ...(described.RotationLambdaARN ? { rotationLambdaArn: described.RotationLambdaARN } : {}),
    ...(described.LastRotatedDate ? { lastRotatedDate: described.LastRotatedDate } : {}),
    ...(described.NextRotationDate ? { nextRotationDate: described.NextRotationDate } : {}),
    ...requestsOf(described.Tags),
    versions,
    ...(current ? { current } : {}),
    ...(pending ? { pending } : {}),
    ...(previous ? { previous } : {}),
  };
}

/** The retirement requests the CLI (or an operator in the console) left on the secret for the next finishSecret. */
function requestsOf(
  tags: readonly { Key?: string; Value?: string }[] | undefined,
): Pick<SecretState, 'emergencyRequested' | 'immediateRetirementRequested'> {
  const value = (key: string) => tags?.find((t) => t.Key === key)?.Value;
  const emergency = value(RETIREMENT_TAGS.emergency);
  const immediate = value(RETIREMENT_TAGS.immediate);
  return {
    ...(emergency !== undefined ? { emergencyRequested: emergency } : {}),
    ...(immediate !== undefined ? { immediateRetirementRequested: immediate } : {}),
  };
}

async function listVersions(client: SecretsManagerClient, secretId: string): Promise<VersionInfo[]> {
  const versions: VersionInfo[] = [];
  for await (const out of paginateListSecretVersionIds({ client }, { SecretId: secretId })) {
    for (const v of out.Versions ?? []) {
      if (v.VersionId) {
        versions.push({
          versionId: v.VersionId,
          stages: [...(v.VersionStages ?? [])].sort((a, b) => rank([a]) - rank([b])),
          ...(v.CreatedDate ? { created: v.CreatedDate } : {}),
        });
      }
    }
  }
  return versions;
}

function rank(stages: readonly string[]): number {
  const found = ORDER.findIndex((s) => stages.includes(s));
  return found < 0 ? ORDER.length : found;
}

/** True when AWSPENDING sits on a version other than AWSCURRENT: Secrets Manager refuses a new rotation. */
export function rotationUnfinished(state: SecretState): boolean {
  return state.pending !== undefined && state.pending !== state.current;
}

/** The version the unfinished rotation rotates to (AWSPENDING), or undefined when no rotation is unfinished. */
export function unfinishedVersion(state: SecretState): string | undefined {
  return rotationUnfinished(state) ? state.pending : undefined;
}

/** The version `status` reports on (its push, its manual consumers): the unfinished rotation's, else AWSCURRENT. */
export function versionInView(state: SecretState): string | undefined {
  return unfinishedVersion(state) ?? state.current;
}

/**
 * Reads and parses one version; the password is dropped at once and never leaves this function. A value that is no
 * credential carries `asPending`: the function's own refusal (credentialOf) were it the version being rotated.
 * @throws AwsCallError when GetSecretValue fails (other than "no value yet")
 */
export async function readVersionContent(
  client: SecretsManagerClient,
  secretArn: string,
  versionId: string,
  region?: string,
): Promise<VersionContent> {
  const version = await awsCall(
    {
      action: 'secretsmanager:GetSecretValue',
      resource: `version ${versionId} of ${secretArn}`,
      ...(region ? { region } : {}),
    },
    () => new SecretStore(client).value(secretArn, { versionId }),
  );
  if (!version) return { kind: 'no-value' };
  let asPending = '';
  try {
    credentialOf(version, 'the pending version');
  } catch (error) {
    asPending = (error as Error).message;
  }
  try {
    const parsed = parseSecretValue(version.secretString);
    if (parsed.kind === 'credential') {
      // Every password, the additional regions' too, is dropped here.
      return { kind: 'credential', credential: withoutPasswords(parsed.credential) };
    }
    // parseSecretValue keeps only the settings present: nothing to strip.
    if (parsed.kind === 'settings') return { kind: 'settings', settings: parsed.settings, asPending };
    return { kind: 'empty', asPending };
  } catch (error) {
    // Parse errors name the field, never the value.
    return { kind: 'unreadable', problem: (error as Error).message, asPending };
  }
}

/** The IAM user a version names, if any. */
export function userOf(content: VersionContent | undefined): string | undefined {
  if (content?.kind === 'credential') return content.credential.iamUserName;
  if (content?.kind === 'settings') return content.settings.iamUserName;
  return undefined;
}

/**
 * GetFunctionConfiguration and loadConfig over its environment. Errors become a problem, not an exception. The
 * function's log group is its LoggingConfig's (the construct sets one), else Lambda's default `/aws/lambda/<name>`.
 */
export async function readFunctionState(lambda: LambdaClient, functionArn: string): Promise<FunctionState> {
  let env: Record<string, string>;
  let logGroup: string;
  try {
    const out = await awsCall(
      {
        action: 'lambda:GetFunctionConfiguration',
        resource: `function ${functionArn}`,
        region: regionOfArn(functionArn),
      },
      () => lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionArn })),
    );
    env = out.Environment?.Variables ?? {};
    const name = out.FunctionName ?? functionArn.slice(functionArn.lastIndexOf(':') + 1);
    logGroup = out.LoggingConfig?.LogGroup ?? `/aws/lambda/${name}`;
  } catch (error) {
    return {
      ok: false,
      arn: functionArn,
      problem: `cannot read the rotation function's configuration: ${problemOf(error)}`,
    };
  }
  try {
    return { ok: true, arn: functionArn, config: loadConfig(env), logGroup };
  } catch (error) {
    const iamUserName = env[ENV.iamUserName];
    return {
      ok: false,
      arn: functionArn,
      problem: `the rotation function's ${(error as Error).message}`,
      ...(iamUserName ? { iamUserName } : {}),
      logGroup,
    };
  }
}
