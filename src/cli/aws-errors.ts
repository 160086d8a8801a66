/**
 * One AWS call of an operator command, and its failure told the way an operator can act on it: which call, on
 * which resource, in which region, and the permission or fix. The SDK's own text is kept only for errors this does
 * not recognise (it names no secret: AWS error messages carry ARNs and actions, never values).
 */
import { SesSmtpRotationError } from '../core/errors';
import { AwsCallError, type AwsCall } from './errors';

export type { AwsCall };

/**
 * Runs one call; an AWS failure becomes an {@link AwsCallError} naming the call, resource, region and fix. The
 * project's own errors pass through unchanged.
 */
export async function awsCall<T>(call: AwsCall, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    // Our own errors are already explained (an AwsCallError from a nested call, a registry refusal): as they are.
    if (error instanceof SesSmtpRotationError) throw error;
    const { problem, fix } = describeAwsError(error, call);
    throw new AwsCallError(call, errorName(error), problem, fix);
  }
}

/** The name AWS gave an error (`AccessDenied`, `NoSuchEntity`, …). */
export function errorName(error: unknown): string {
  const e = error as { name?: string; Code?: string };
  return e?.Code ?? e?.name ?? 'Error';
}

/** What failed, where (`problem`), and what to do (`fix`). */
export function describeAwsError(error: unknown, call: AwsCall): { problem: string; fix: string } {
  const name = errorName(error);
  const where = call.action.startsWith('iam:') ? '(IAM is global)' : `in region ${call.region ?? 'of your profile'}`;
  const problem = `${name} on ${call.action} for ${call.resource} ${where}`;
  const answer = (fix: string) => ({ problem, fix });
  if (/AccessDenied|UnauthorizedOperation|NotAuthorized/i.test(name)) {
    return answer(
      `grant ${call.action} on that resource to the identity you run as (README, "Operator CLI", permissions)`,
    );
  }
  if (name === 'NoSuchEntity' || name === 'NoSuchEntityException') {
    return answer(
      'it does not exist: check the name the rotation function is configured with (the construct creates it)',
    );
  }
  if (/ResourceNotFound|NotFound|InvalidDocument/.test(name)) {
    return answer('it does not exist in this account and region: check the name, --region and --profile');
  }
  if (/ExpiredToken|InvalidClientTokenId|UnrecognizedClient|SignatureDoesNotMatch/.test(name)) {
    return answer('your AWS credentials are expired or invalid: renew them (aws sso login, or your profile) and retry');
  }
  if (name === 'CredentialsProviderError') {
    return answer('no AWS credentials found: pass --profile or set AWS_PROFILE (or the AWS_ACCESS_KEY_ID variables)');
  }
  if (/Throttl|TooManyRequests|RequestLimitExceeded/.test(name))
    return answer('AWS throttled the call: retry in a minute');
  const text = ((error as Error)?.message ?? '').replace(/\s+/g, ' ').slice(0, 300);
  return answer(`${text || 'no message'}; retry, and check the service's health if it persists`);
}

/** The message of an error for a report line: ours as is, anything else with its name. */
export function problemOf(error: unknown): string {
  if (error instanceof SesSmtpRotationError) return error.message;
  return `${errorName(error)}: ${((error as Error)?.message ?? String(error)).slice(0, 300)}`;
}
