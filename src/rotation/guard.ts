import { RotationStateError } from './errors';
import { type SecretMetadata } from './ports';

/** Where the version being rotated stands. */
export interface GuardVerdict {
  /** `pending`: not promoted yet; `promoted`: already AWSCURRENT (a re-run after a crash past promotion). */
  readonly phase: 'pending' | 'promoted';
  /** The version holding AWSCURRENT other than the token, if any (none on a first rotation). */
  readonly currentVersionId?: string;
}

/**
 * The check every step runs first (as AWS's rotation templates do): rotation enabled, token known, token pending.
 * Unlike the templates, a token that is already AWSCURRENT is not a reason to do nothing: the caller still makes
 * sure the hosts have it and that the old key is retired.
 */
export function guard(meta: SecretMetadata, token: string): GuardVerdict {
  if (!meta.rotationEnabled) {
    throw new RotationStateError(
      `rotation is not enabled for ${meta.arn}: configure rotation with this Lambda (the CDK construct does) and retry`,
    );
  }
  const stages = meta.versionStages[token];
  if (stages === undefined) {
    throw new RotationStateError(
      `version ${token} is not a version of ${meta.arn}: Secrets Manager passed a token the secret does not know ` +
        '(the rotation may have been cancelled); start a new rotation',
    );
  }
  const currentVersionId = versionWithStage(meta, 'AWSCURRENT', token);
  if (stages.includes('AWSCURRENT')) return { phase: 'promoted' };
  if (!stages.includes('AWSPENDING')) {
    throw new RotationStateError(
      `version ${token} of ${meta.arn} is neither AWSPENDING nor AWSCURRENT: this rotation was superseded or ` +
        'cancelled; start a new rotation',
    );
  }
  return { phase: 'pending', ...(currentVersionId ? { currentVersionId } : {}) };
}

/** The version holding `stage` (other than `except`, when given), from DescribeSecret's VersionIdsToStages. */
export function versionWithStage(
  meta: Pick<SecretMetadata, 'versionStages'>,
  stage: string,
  except?: string,
): string | undefined {
  return Object.entries(meta.versionStages).find(([id, labels]) => id !== except && labels.includes(stage))?.[0];
}
