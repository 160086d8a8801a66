import { RESULT_MARKER } from '../core/document-contract';
import { maskKeyId } from '../core/mask';
import { passwordForRelay } from '../core/regional-passwords';
import { parseSecretValue, type SecretValue, type SmtpCredential } from '../core/secret';
import type { SandboxAccount } from './account';
import { hostMta, type HostRunner } from './fake-fleet-hosts';

/**
 * What the SSM document does on a relay: fetch the secret by ARN + version id with the host's own role, install
 * it, verify it authenticates, and roll back and fail if it does not. Host traffic is not the Lambda's: it is
 * not recorded as an API call of the rotation.
 */
export function hostAgent(account: SandboxAccount): HostRunner {
  // Every relay fetches the version itself, but a fleet fetches the same few strings: each is parsed once.
  const parsedValues = new Map<string, SecretValue>();
  const parse = (secretString: string | undefined): SecretValue => {
    if (secretString === undefined) return parseSecretValue(secretString);
    let parsed = parsedValues.get(secretString);
    if (parsed === undefined) parsedValues.set(secretString, (parsed = parseSecretValue(secretString)));
    return parsed;
  };
  return async (host, request) => {
    const versionId = request.parameters.VersionId?.[0] ?? '';
    const mta = hostMta(host);
    let credential: SmtpCredential;
    try {
      const value = account.secrets.getSecretValue({
        SecretId: request.parameters.SecretArn?.[0],
        VersionId: versionId,
      });
      const parsed = parse(value.SecretString);
      if (parsed.kind !== 'credential') throw new Error('secret holds no credential');
      credential = parsed.credential;
    } catch {
      return {
        status: 'Failed',
        output: `${RESULT_MARKER} status=failed mta=${mta} reason=fetch-secret rollback=not-needed key=-`,
        exitCode: 1,
      };
    }
    // As the document does: the relay host picks the region's password; any other host changes nothing.
    const regional = passwordForRelay(credential, host.relayHost ?? account.endpoint);
    if (regional === undefined) {
      return {
        status: 'Failed',
        output: `${RESULT_MARKER} status=failed mta=${mta} reason=endpoint-mismatch rollback=not-needed key=${maskKeyId(credential.username)}`,
        exitCode: 1,
      };
    }
    const { additionalRegions: _others, ...primary } = credential;
    const previous = account.installed.get(host.instanceId);
    account.installed.set(host.instanceId, { ...primary, ...regional, versionId });
    if (!account.iam.authenticateSmtp(credential.username, regional.password, regional.region)) {
      if (previous) account.installed.set(host.instanceId, previous);
      else account.installed.delete(host.instanceId);
      return {
        status: 'Failed',
        output: `${RESULT_MARKER} status=failed mta=${mta} reason=relay-rejected rollback=not-needed key=${maskKeyId(credential.username)}`,
        exitCode: 1,
      };
    }
    return {
      status: 'Success',
      output: `${RESULT_MARKER} status=updated mta=${mta} key=${maskKeyId(credential.username)}`,
    };
  };
}
