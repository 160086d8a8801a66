/**
 * `rotate --emergency` and `rotate --immediate-retirement`: Secrets Manager passes the rotation function only the
 * step, the secret and the token, so how this rotation retires the old keys travels as a tag on the secret. The tag
 * is set before RotateSecret (a rotation can never start without it) and removed by finishSecret after the old keys
 * are deleted; if RotateSecret fails it is withdrawn.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretStore } from '../aws/secret-store';
import { RETIREMENT_TAGS } from '../rotation/retirement';

/** What a rotation may ask for besides the installation's policy. */
export type RetirementRequest = 'emergency' | 'immediate';

const SAID: Record<RetirementRequest, string> = {
  emergency: 'emergency: every old key is deleted once every host confirmed',
  immediate: 'immediate retirement: the old key is deleted once every host confirmed (this rotation only)',
};

/** The tag that carries `request`. */
export function requestTag(request: RetirementRequest): string {
  return RETIREMENT_TAGS[request];
}

/** Sets the request's tag with the request time (visible in describe-secret, `status` and `retire`). */
export async function requestRetirement(
  client: SecretsManagerClient,
  secretArn: string,
  request: RetirementRequest,
  now: number,
  say: (line: string) => void,
): Promise<void> {
  await new SecretStore(client).tag(secretArn, requestTag(request), new Date(now).toISOString());
  say(`${SAID[request]} (tagged ${requestTag(request)})`);
}

/** Removes the tag again when the rotation could not be started (best effort: a failure is reported by the caller). */
export async function withdrawRetirement(
  client: SecretsManagerClient,
  secretArn: string,
  request: RetirementRequest,
): Promise<void> {
  try {
    await new SecretStore(client).untag(secretArn, requestTag(request));
  } catch {
    // The RotateSecret error is the one the operator must see; a stale tag shows in `status` and describe-secret.
  }
}
