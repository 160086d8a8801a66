/**
 * The IAM access-key adapter, built on first use (see on-first-use.ts): testSecret and a container that only
 * answers the hourly pass's first read need no IAM code at their cold start.
 */
import { IAMClient } from '@aws-sdk/client-iam';
import { AccessKeys } from '../aws/access-keys';
import type { UserKeys } from '../rotation/ports';

/** The user's access keys through IAM. */
export function accessKeys(): UserKeys {
  return new AccessKeys(new IAMClient({}));
}
