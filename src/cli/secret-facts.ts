/**
 * What the labelled versions of a secret hold (never a password), and the rotation function's verdict on them:
 * the same pure checks its steps run (`functionRefusal`), fed with what the CLI read. Shared by `status` and
 * `preflight`, so both say what the function would do.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { RotationConfig } from '../rotation/config';
import { functionRefusal } from '../rotation/readiness';
import type { RecordedValue } from '../rotation/settings';
import { readVersionContent, unfinishedVersion, type SecretState, type VersionContent } from './secret-state';
import type { RecordedKeyIds } from './user-keys';

/** The contents of the labelled versions that matter. */
export interface Labelled {
  readonly current?: VersionContent;
  /** Only while a rotation is unfinished (AWSPENDING on a version other than AWSCURRENT). */
  readonly pending?: VersionContent;
  /** Only when AWSCURRENT is a credential (an interrupted retirement). */
  readonly previous?: VersionContent;
}

/** Reads AWSCURRENT, the unfinished rotation's AWSPENDING and AWSPREVIOUS. @throws AwsCallError */
export async function readLabelled(
  secrets: SecretsManagerClient,
  state: SecretState,
  region?: string,
): Promise<Labelled> {
  const read = (id: string | undefined) => (id ? readVersionContent(secrets, state.arn, id, region) : undefined);
  const current = await read(state.current);
  const pending = await read(unfinishedVersion(state));
  const previous = current?.kind === 'credential' ? await read(state.previous) : undefined;
  return {
    ...(current ? { current } : {}),
    ...(pending ? { pending } : {}),
    ...(previous ? { previous } : {}),
  };
}

/** The key ids the versions record, with the pending version's id. */
export function recordedKeys(state: SecretState, labelled: Labelled): RecordedKeyIds {
  const current = keyOf(labelled.current);
  const pending = keyOf(labelled.pending);
  const previous = keyOf(labelled.previous);
  return {
    ...(current ? { current } : {}),
    ...(pending ? { pending, pendingVersionId: state.pending } : {}),
    ...(previous ? { previous } : {}),
  };
}

/** Why the function would refuse this secret now (its own message), or undefined. */
export function refusalOf(config: RotationConfig, state: SecretState, labelled: Labelled): string | undefined {
  const pending = labelled.pending;
  const versionStages = Object.fromEntries(state.versions.map((v) => [v.versionId, [...v.stages]]));
  const pendingVersionId = unfinishedVersion(state);
  return functionRefusal(config, {
    meta: { arn: state.arn, rotationEnabled: state.rotationEnabled, versionStages },
    ...(pendingVersionId ? { pendingVersionId } : {}),
    ...(pending && 'asPending' in pending && pending.asPending ? { pendingRefusal: pending.asPending } : {}),
    pendingHasValue: pending !== undefined && pending.kind !== 'no-value',
    ...(recordedValue(labelled.current) ? { current: recordedValue(labelled.current) } : {}),
  });
}

function recordedValue(content: VersionContent | undefined): RecordedValue | undefined {
  if (content?.kind === 'credential' || content?.kind === 'settings' || content?.kind === 'empty') return content;
  return undefined;
}

function keyOf(content: VersionContent | undefined): string | undefined {
  return content?.kind === 'credential' ? content.credential.username : undefined;
}

/** Additional regions the function is configured with that the AWSCURRENT credential has no password for. */
export function missingRegions(config: RotationConfig, content: VersionContent | undefined): string[] {
  if (content?.kind !== 'credential') return [];
  const held = new Set((content.credential.additionalRegions ?? []).map((r) => r.region));
  return (config.additionalRegions ?? []).map((r) => r.region).filter((region) => !held.has(region));
}
