/**
 * The --json document of `status` (documented in the README section "Operator CLI") and the views of the secret's
 * current version and rotation function it shows. Never holds more than the key id out of a credential.
 */
import { maskKeyId } from '../core/mask';
import type { AbandonView } from './abandon-status';
import type { StepFailure } from './function-log';
import type { ManualStatus } from './manual-status';
import type { PushView } from './push-state';
import type { FunctionState, VersionContent } from './secret-state';
import type { KeyView } from './user-keys';

/** The --json shape of `status` (documented in the README section "Operator CLI"); every key always present. */
export interface StatusReport {
  secret: {
    arn: string;
    name: string;
    rotationEnabled: boolean;
    rotationLambdaArn: string | null;
    lastRotatedDate: string | null;
    nextRotationDate: string | null;
    /** The emergency tag's value while `rotate --emergency` (or the console tag) is pending; null otherwise. */
    emergencyRequested: string | null;
    /** The immediate-retirement tag's value while `rotate --immediate-retirement` is pending; null otherwise. */
    immediateRetirementRequested: string | null;
  } | null;
  versions: { versionId: string; stages: string[]; created: string | null }[];
  current: {
    versionId: string;
    keyId: string | null;
    iamUserName: string | null;
    region: string | null;
    endpoint: string | null;
    port: number | null;
    /** The additional regions AWSCURRENT holds a password for (never the password); empty for a single region. */
    additionalRegions: { region: string; endpoint: string }[];
    content: VersionContent['kind'] | null;
  } | null;
  function: {
    arn: string;
    iamUserName: string | null;
    documentName: string | null;
    targets: string | null;
    logGroup: string | null;
    problem: string | null;
    refusal: string | null;
  } | null;
  iamUserName: string | null;
  /** null when the keys could not be read (or the user is unknown). */
  keys: KeyView[] | null;
  push: PushView | null;
  /** The push of `rotate --abandon` (AWSCURRENT back to every target) while AWSPENDING is set; null when none. */
  abandon: AbandonView | null;
  /** The manual consumers of the pending (else current) version; null without a registry. */
  manualConsumers: ManualStatus | null;
  failure: StepFailure | null;
  state: 'ok' | 'rotating' | 'attention';
  problems: string[];
  next: string[];
  warnings: string[];
  error: null;
}

/** A report with every key present and nothing known yet. */
export function emptyStatusReport(): StatusReport {
  return {
    secret: null,
    versions: [],
    current: null,
    function: null,
    iamUserName: null,
    keys: null,
    push: null,
    abandon: null,
    manualConsumers: null,
    failure: null,
    state: 'attention',
    problems: [],
    next: [],
    warnings: [],
    error: null,
  };
}

/** What AWSCURRENT holds, without its password. */
export function currentView(versionId: string, content: VersionContent | undefined): StatusReport['current'] {
  const credential = content?.kind === 'credential' ? content.credential : undefined;
  const settings = content?.kind === 'settings' ? content.settings : undefined;
  return {
    versionId,
    keyId: credential ? maskKeyId(credential.username) : null,
    iamUserName: credential?.iamUserName ?? settings?.iamUserName ?? null,
    region: credential?.region ?? settings?.region ?? null,
    endpoint: credential?.endpoint ?? settings?.endpoint ?? null,
    port: credential?.port ?? settings?.port ?? null,
    additionalRegions: (credential?.additionalRegions ?? []).map(({ region, endpoint }) => ({ region, endpoint })),
    content: content?.kind ?? null,
  };
}

/** The rotation function as status shows it, with its verdict on the secret. */
export function functionView(fn: FunctionState, refusal: string | undefined): StatusReport['function'] {
  if (!fn.ok) {
    return {
      arn: fn.arn,
      iamUserName: fn.iamUserName ?? null,
      documentName: null,
      targets: null,
      logGroup: fn.logGroup ?? null,
      problem: fn.problem,
      refusal: null,
    };
  }
  const { fleet } = fn.config;
  const targets =
    fleet.tagTargets.length > 0
      ? fleet.tagTargets.map((t) => `tag:${t.key}=${t.values.join(',')}`).join(' and ')
      : `instances ${fleet.instanceIds.join(',')}`;
  return {
    arn: fn.arn,
    iamUserName: fn.config.iamUserName,
    documentName: fleet.documentName,
    targets,
    logGroup: fn.logGroup,
    problem: null,
    refusal: refusal ?? null,
  };
}
