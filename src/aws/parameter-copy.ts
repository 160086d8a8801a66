import { GetParameterCommand, ParameterNotFound, PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { SmtpCredential } from '../core/secret';
import type { CopyResult, CredentialCopy } from '../rotation/ports';

/** Where the promoted credential is copied. */
export interface ParameterCopyConfig {
  /** Parameter name, e.g. `/mail/ses-smtp`. */
  readonly name: string;
  /** KMS key id, ARN or alias for the SecureString. @default the account's `aws/ssm` key */
  readonly kmsKeyId?: string;
}

/**
 * Copies the promoted credential into a SecureString parameter, for consumers that read only Parameter Store. The
 * value is the secret's JSON plus `versionId` and `versionCreated`. Idempotent (the same version is not written
 * again) and never writes an older version over a newer one: a retry of an earlier rotation that finds a newer
 * version's copy leaves it.
 */
export class ParameterCopy implements CredentialCopy {
  constructor(
    private readonly ssm: SSMClient,
    readonly config: ParameterCopyConfig,
  ) {}

  get name(): string {
    return this.config.name;
  }

  async write(credential: SmtpCredential, version: { versionId: string; createdDate?: Date }): Promise<CopyResult> {
    const stored = await this.stored();
    if (stored?.versionId === version.versionId) return 'unchanged';
    const storedCreated = stored?.versionCreated ? Date.parse(stored.versionCreated) : undefined;
    if (storedCreated !== undefined && version.createdDate && storedCreated > version.createdDate.getTime()) {
      return 'newer-present';
    }
    await this.ssm.send(
      new PutParameterCommand({
        Name: this.config.name,
        Type: 'SecureString',
        Value: JSON.stringify({
          ...credential,
          versionId: version.versionId,
          ...(version.createdDate ? { versionCreated: version.createdDate.toISOString() } : {}),
        }),
        Overwrite: true,
        Description: `SES SMTP credential, Secrets Manager version ${version.versionId} (written by ses-smtp-rotation)`,
        ...(this.config.kmsKeyId ? { KeyId: this.config.kmsKeyId } : {}),
      }),
    );
    return 'written';
  }

  private async stored(): Promise<{ versionId?: string; versionCreated?: string } | undefined> {
    try {
      const out = await this.ssm.send(new GetParameterCommand({ Name: this.config.name, WithDecryption: true }));
      const parsed = JSON.parse(out.Parameter?.Value ?? '{}') as unknown;
      return typeof parsed === 'object' && parsed !== null ? (parsed as { versionId?: string }) : undefined;
    } catch (error) {
      if (error instanceof ParameterNotFound) return undefined;
      // A value that is not our JSON (written by hand): overwrite it with the promoted credential.
      if (error instanceof SyntaxError) return undefined;
      throw error;
    }
  }
}
