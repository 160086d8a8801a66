/**
 * `rotate --emergency`: Secrets Manager passes the rotation function only the step, the secret and the token, so
 * the emergency travels as a tag on the secret. The tag is set before RotateSecret (a rotation can never start
 * without it) and removed by finishSecret after the old keys are deleted; if RotateSecret fails it is withdrawn.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretStore } from '../aws/secret-store';
import { RETIREMENT_TAGS } from '../rotation/retirement';

/** Sets the emergency tag with the request time (visible in describe-secret and `retire`). */
export async function requestEmergency(
  client: SecretsManagerClient,
  secretArn: string,
  now: number,
  say: (line: string) => void,
): Promise<void> {
  await new SecretStore(client).tag(secretArn, RETIREMENT_TAGS.emergency, new Date(now).toISOString());
  say(`emergency: tagged ${RETIREMENT_TAGS.emergency}; every old key is deleted once every host confirmed`);
}

/** Removes the tag again when the rotation could not be started (best effort: a failure is reported by the caller). */
export async function withdrawEmergency(client: SecretsManagerClient, secretArn: string): Promise<void> {
  try {
    await new SecretStore(client).untag(secretArn, RETIREMENT_TAGS.emergency);
  } catch {
    // The RotateSecret error is the one the operator must see; a stale tag shows in `retire` and describe-secret.
  }
}
