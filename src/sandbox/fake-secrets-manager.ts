import { randomUUID } from 'node:crypto';
import {
  InvalidParameterException,
  InvalidRequestException,
  ResourceExistsException,
  ResourceNotFoundException,
  type DescribeSecretCommandInput,
  type DescribeSecretCommandOutput,
  type GetSecretValueCommandInput,
  type GetSecretValueCommandOutput,
  type ListSecretVersionIdsCommandInput,
  type ListSecretVersionIdsCommandOutput,
  type PutSecretValueCommandInput,
  type PutSecretValueCommandOutput,
  type RotateSecretCommandInput,
  type RotateSecretCommandOutput,
  type TagResourceCommandInput,
  type TagResourceCommandOutput,
  type UntagResourceCommandInput,
  type UntagResourceCommandOutput,
  type UpdateSecretVersionStageCommandInput,
  type UpdateSecretVersionStageCommandOutput,
} from '@aws-sdk/client-secrets-manager';
import type { Clock } from '../core/clock';
import { meta, type Output } from './sdk-output';

interface Version {
  secretString?: string;
  stages: Set<string>;
  created: Date;
}

/** Options of the fake secret. */
export interface FakeSecretOptions {
  readonly name?: string;
  readonly region?: string;
  readonly account?: string;
  /** Initial value; omitted = the secret has no version at all (as CloudFormation creates it). */
  readonly initialValue?: string;
  readonly rotationLambdaArn?: string;
  /**
   * Whether the first value ever stored gets AWSCURRENT automatically even when put with AWSPENDING. AWS documents
   * this for a first PutSecretValue; whether it applies to a rotation's pending version is unverified, so the
   * rotation is tested both ways.
   */
  readonly autoCurrentOnFirstValue?: boolean;
}

/** Called whenever a staging label moves, before the call returns: lets tests check invariants at that instant. */
export type StageListener = (stage: string, toVersionId: string | undefined) => void;

/**
 * A stateful fake of one Secrets Manager secret with the semantics rotation depends on: versions and staging
 * labels, AWSPENDING without a value, PutSecretValue idempotency and conflicts, AWSPREVIOUS following AWSCURRENT.
 */
export class FakeSecretsManager {
  readonly arn: string;
  readonly name: string;
  rotationEnabled = false;
  rotationLambdaArn?: string;
  lastRotatedDate?: Date;
  /** The secret's tags (the emergency and retirement tags live here). */
  readonly tags = new Map<string, string>();
  private readonly versions = new Map<string, Version>();
  private readonly stageListeners: StageListener[] = [];
  private readonly updateListeners: ((input: UpdateSecretVersionStageCommandInput) => void)[] = [];
  private readonly autoCurrent: boolean;
  /** Runs a rotation when RotateSecret is called (the sandbox wires the handler in). */
  rotationRunner?: (versionId: string) => Promise<void>;

  constructor(
    private readonly clock: Clock,
    options: FakeSecretOptions = {},
  ) {
    this.name = options.name ?? 'ses-smtp-credential';
    const suffix = 'AbCdEf';
    this.arn = `arn:aws:secretsmanager:${options.region ?? 'eu-west-1'}:${options.account ?? '111122223333'}:secret:${this.name}-${suffix}`;
    this.autoCurrent = options.autoCurrentOnFirstValue ?? false;
    if (options.rotationLambdaArn) {
      this.rotationEnabled = true;
      this.rotationLambdaArn = options.rotationLambdaArn;
    }
    if (options.initialValue !== undefined) {
      this.versions.set(randomUUID(), {
        secretString: options.initialValue,
        stages: new Set(['AWSCURRENT']),
        created: this.now(),
      });
    }
  }

  /** Registers a listener for label moves. */
  onStageMove(listener: StageListener): void {
    this.stageListeners.push(listener);
  }

  /** Registers a listener called when UpdateSecretVersionStage is about to move a label (not for PutSecretValue). */
  onUpdateVersionStage(listener: (input: UpdateSecretVersionStageCommandInput) => void): void {
    this.updateListeners.push(listener);
  }

  /** The version holding a label, if any (test helper, not an AWS call). */
  versionWithStage(stage: string): string | undefined {
    for (const [id, v] of this.versions) if (v.stages.has(stage)) return id;
    return undefined;
  }

  /** The value of a version (test helper, not an AWS call: hosts and invariants read through it). */
  peekValue(versionId: string): string | undefined {
    return this.versions.get(versionId)?.secretString;
  }

  describeSecret(input: DescribeSecretCommandInput): Output<DescribeSecretCommandOutput> {
    this.check(input.SecretId);
    const versionIdsToStages: Record<string, string[]> = {};
    for (const [id, v] of this.versions) if (v.stages.size > 0) versionIdsToStages[id] = [...v.stages];
    return {
      ARN: this.arn,
      Name: this.name,
      RotationEnabled: this.rotationEnabled,
      ...(this.rotationLambdaArn ? { RotationLambdaARN: this.rotationLambdaArn } : {}),
      ...(this.lastRotatedDate ? { LastRotatedDate: this.lastRotatedDate } : {}),
      VersionIdsToStages: versionIdsToStages,
      ...(this.tags.size > 0 ? { Tags: [...this.tags].map(([Key, Value]) => ({ Key, Value })) } : {}),
    };
  }

  tagResource(input: TagResourceCommandInput): Output<TagResourceCommandOutput> {
    this.check(input.SecretId);
    for (const tag of input.Tags ?? []) if (tag.Key) this.tags.set(tag.Key, tag.Value ?? '');
    return {};
  }

  /** Removing a tag that is not there succeeds, as in AWS. */
  untagResource(input: UntagResourceCommandInput): Output<UntagResourceCommandOutput> {
    this.check(input.SecretId);
    for (const key of input.TagKeys ?? []) this.tags.delete(key);
    return {};
  }

  getSecretValue(input: GetSecretValueCommandInput): Output<GetSecretValueCommandOutput> {
    this.check(input.SecretId);
    const stage = input.VersionStage ?? (input.VersionId ? undefined : 'AWSCURRENT');
    let versionId = input.VersionId;
    if (versionId === undefined && stage !== undefined) versionId = this.versionWithStage(stage);
    const version = versionId === undefined ? undefined : this.versions.get(versionId);
    if (versionId === undefined || version === undefined || (stage !== undefined && !version.stages.has(stage))) {
      throw notFound("Secrets Manager can't find the specified secret value for the version or staging label.");
    }
    if (version.secretString === undefined) {
      throw notFound("Secrets Manager can't find the specified secret value for VersionId: " + versionId);
    }
    return {
      ARN: this.arn,
      Name: this.name,
      VersionId: versionId,
      SecretString: version.secretString,
      VersionStages: [...version.stages],
      CreatedDate: version.created,
    };
  }

  putSecretValue(input: PutSecretValueCommandInput): Output<PutSecretValueCommandOutput> {
    this.check(input.SecretId);
    const token = input.ClientRequestToken ?? randomUUID();
    if (input.SecretString === undefined)
      throw new InvalidParameterException({ message: 'SecretString is required in this fake', ...meta });
    const existing = this.versions.get(token);
    if (existing?.secretString !== undefined) {
      if (existing.secretString === input.SecretString) return this.versionOutput(token);
      throw new ResourceExistsException({
        message: `A resource with the ID you requested already exists: version ${token} has a different value.`,
        ...meta,
      });
    }
    const firstValue = [...this.versions.values()].every((v) => v.secretString === undefined);
    const version = existing ?? { stages: new Set<string>(), created: this.now() };
    version.secretString = input.SecretString;
    this.versions.set(token, version);
    for (const stage of input.VersionStages ?? ['AWSCURRENT']) this.attach(stage, token);
    if (firstValue && this.autoCurrent) this.attach('AWSCURRENT', token);
    return this.versionOutput(token);
  }

  updateSecretVersionStage(input: UpdateSecretVersionStageCommandInput): Output<UpdateSecretVersionStageCommandOutput> {
    this.check(input.SecretId);
    const stage = input.VersionStage;
    if (!stage) throw new InvalidParameterException({ message: 'VersionStage is required.', ...meta });
    const holder = this.versionWithStage(stage);
    if (input.RemoveFromVersionId !== undefined && holder !== input.RemoveFromVersionId) {
      throw new InvalidParameterException({
        message: `The staging label ${stage} is not attached to version ${input.RemoveFromVersionId}.`,
        ...meta,
      });
    }
    for (const listener of this.updateListeners) listener(input);
    if (input.MoveToVersionId !== undefined) {
      if (!this.versions.has(input.MoveToVersionId)) throw notFound(`Version ${input.MoveToVersionId} not found.`);
      if (holder !== undefined && holder !== input.MoveToVersionId && input.RemoveFromVersionId === undefined) {
        throw new InvalidParameterException({
          message: `The staging label ${stage} is currently attached to version ${holder}; specify RemoveFromVersionId.`,
          ...meta,
        });
      }
      this.attach(stage, input.MoveToVersionId);
    } else if (holder !== undefined) {
      this.versions.get(holder)?.stages.delete(stage);
      this.emit(stage, undefined);
    }
    return { ARN: this.arn, Name: this.name };
  }

  listSecretVersionIds(input: ListSecretVersionIdsCommandInput): Output<ListSecretVersionIdsCommandOutput> {
    this.check(input.SecretId);
    const versions = [...this.versions]
      .filter(([, v]) => input.IncludeDeprecated || v.stages.size > 0)
      .map(([id, v]) => ({ VersionId: id, VersionStages: [...v.stages], CreatedDate: v.created }));
    return { ARN: this.arn, Name: this.name, Versions: versions };
  }

  /** Starts a rotation: a pending version without a value, then the runner (Secrets Manager invoking the Lambda). */
  rotateSecret(input: RotateSecretCommandInput): Output<RotateSecretCommandOutput> {
    this.check(input.SecretId);
    if (input.RotationLambdaARN) this.rotationLambdaArn = input.RotationLambdaARN;
    if (!this.rotationLambdaArn) {
      throw new InvalidRequestException({
        message: 'No Lambda rotation function ARN is associated with this secret.',
        ...meta,
      });
    }
    this.rotationEnabled = true;
    const pending = this.versionWithStage('AWSPENDING');
    if (pending !== undefined && pending !== this.versionWithStage('AWSCURRENT')) {
      // What the message says: Secrets Manager runs the unfinished rotation again (same version) and still
      // answers with this error. A rotation parked on manual consumers is resumed this way.
      void this.rotationRunner?.(pending);
      throw new InvalidRequestException({
        message: "A previous rotation isn't complete. That rotation will be reattempted.",
        ...meta,
      });
    }
    const token = input.ClientRequestToken ?? randomUUID();
    this.versions.set(token, { stages: new Set(), created: this.now() });
    this.attach('AWSPENDING', token);
    void this.rotationRunner?.(token);
    return { ARN: this.arn, Name: this.name, VersionId: token };
  }

  /** Records a completed rotation (what Secrets Manager does after finishSecret returns). */
  markRotated(): void {
    this.lastRotatedDate = this.now();
  }

  private attach(stage: string, versionId: string): void {
    const previousHolder = this.versionWithStage(stage);
    if (previousHolder === versionId) return;
    if (previousHolder !== undefined) this.versions.get(previousHolder)?.stages.delete(stage);
    this.versions.get(versionId)?.stages.add(stage);
    if (stage === 'AWSCURRENT' && previousHolder !== undefined) this.attach('AWSPREVIOUS', previousHolder);
    this.emit(stage, versionId);
  }

  private emit(stage: string, versionId: string | undefined): void {
    for (const listener of this.stageListeners) listener(stage, versionId);
  }

  private versionOutput(token: string): Output<PutSecretValueCommandOutput> {
    return {
      ARN: this.arn,
      Name: this.name,
      VersionId: token,
      VersionStages: [...(this.versions.get(token)?.stages ?? [])],
    };
  }

  private check(secretId: string | undefined): void {
    if (secretId !== this.arn && secretId !== this.name) {
      throw notFound("Secrets Manager can't find the specified secret.");
    }
  }

  private now(): Date {
    return new Date(this.clock.now());
  }
}

function notFound(message: string): ResourceNotFoundException {
  return new ResourceNotFoundException({ message, ...meta });
}
