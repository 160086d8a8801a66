import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidRequestException,
  PutSecretValueCommand,
  ResourceNotFoundException,
  RotateSecretCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretVersionStageCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { SecretMetadata, Secrets, SecretVersionValue } from '../rotation/ports';

/** Thin adapter over Secrets Manager: the calls rotation makes, typed, with "no value" as undefined. */
export class SecretStore implements Secrets {
  constructor(private readonly client: SecretsManagerClient) {}

  async describe(secretId: string): Promise<SecretMetadata> {
    const out = await this.client.send(new DescribeSecretCommand({ SecretId: secretId }));
    return {
      arn: out.ARN ?? secretId,
      rotationEnabled: out.RotationEnabled === true,
      ...(out.RotationLambdaARN ? { rotationLambdaArn: out.RotationLambdaARN } : {}),
      versionStages: out.VersionIdsToStages ?? {},
      ...(out.LastRotatedDate ? { lastRotatedDate: out.LastRotatedDate } : {}),
      tags: Object.fromEntries((out.Tags ?? []).flatMap((t) => (t.Key ? [[t.Key, t.Value ?? '']] : []))),
    };
  }

  /**
   * Reads a version by id and/or stage. Returns undefined for ResourceNotFoundException, which is how Secrets
   * Manager says "this version has no value yet" (the pending version before createSecret); other errors propagate.
   */
  async value(
    secretId: string,
    selector: { versionId?: string; stage?: string },
  ): Promise<SecretVersionValue | undefined> {
    try {
      const out = await this.client.send(
        new GetSecretValueCommand({ SecretId: secretId, VersionId: selector.versionId, VersionStage: selector.stage }),
      );
      if (out.SecretString === undefined) return undefined;
      return {
        versionId: out.VersionId ?? selector.versionId ?? '',
        secretString: out.SecretString,
        ...(out.CreatedDate ? { createdDate: out.CreatedDate } : {}),
      };
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  }

  /** Stores the pending value. Always passes VersionStages, or AWSCURRENT would move at once. */
  async putPending(secretId: string, token: string, secretString: string, rotationToken?: string): Promise<void> {
    await this.client.send(
      new PutSecretValueCommand({
        SecretId: secretId,
        ClientRequestToken: token,
        SecretString: secretString,
        VersionStages: ['AWSPENDING'],
        ...(rotationToken ? { RotationToken: rotationToken } : {}),
      }),
    );
  }

  /** Moves AWSCURRENT to `token` (Secrets Manager moves AWSPREVIOUS itself). */
  async promote(secretId: string, token: string, currentVersionId: string | undefined): Promise<void> {
    await this.client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: secretId,
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: token,
        ...(currentVersionId ? { RemoveFromVersionId: currentVersionId } : {}),
      }),
    );
  }

  /**
   * Asks Secrets Manager to re-attempt the unfinished rotation (RotateSecret while AWSPENDING is on another version
   * answers "A previous rotation isn't complete. That rotation will be reattempted." and re-runs it). Returns false
   * when no rotation was unfinished and a new one started instead.
   */
  async reattempt(secretId: string): Promise<boolean> {
    try {
      await this.client.send(new RotateSecretCommand({ SecretId: secretId }));
      return false;
    } catch (error) {
      if (error instanceof InvalidRequestException && /previous rotation/i.test(error.message)) return true;
      throw error;
    }
  }

  /** Sets one tag on the secret (retirement and emergency state the function and the CLI share). */
  async tag(secretId: string, key: string, value: string): Promise<void> {
    await this.client.send(new TagResourceCommand({ SecretId: secretId, Tags: [{ Key: key, Value: value }] }));
  }

  /** Removes one tag from the secret; removing an absent tag succeeds (idempotent). */
  async untag(secretId: string, key: string): Promise<void> {
    await this.client.send(new UntagResourceCommand({ SecretId: secretId, TagKeys: [key] }));
  }
}
