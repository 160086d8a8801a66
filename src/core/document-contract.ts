/**
 * The contract between the fleet push (src/aws) and the SSM documents (ssm-documents/): the parameters every
 * document must declare, with the exact `allowedPattern` both sides check. Parameters carry only what a host needs
 * to fetch the secret itself; never the password.
 */
import { DocumentParameterError } from './errors';

/** Patterns are anchored: SSM matches `allowedPattern` as an unanchored Go regexp. */
export const DOCUMENT_PARAMETERS = {
  SecretArn: {
    allowedPattern: '^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+$',
    description: 'ARN of the Secrets Manager secret holding the SES SMTP credential.',
  },
  VersionId: {
    allowedPattern: '^[A-Za-z0-9-]{32,64}$',
    description: 'Version id of the secret to install (the rotation token).',
  },
} as const;

/** The parameter names every document must declare. */
export type DocumentParameterName = keyof typeof DOCUMENT_PARAMETERS;

/** Prefix of the one machine-readable line a document prints on success or failure. */
export const RESULT_MARKER = 'ses-smtp-rotation-result';

/** Builds SendCommand `Parameters` for a version, checked against the contract's patterns. */
export function documentParameters(secretArn: string, versionId: string): Record<DocumentParameterName, string[]> {
  const values: Record<DocumentParameterName, string> = { SecretArn: secretArn, VersionId: versionId };
  for (const name of Object.keys(values) as DocumentParameterName[]) {
    if (!new RegExp(DOCUMENT_PARAMETERS[name].allowedPattern).test(values[name]))
      throw new DocumentParameterError(name, DOCUMENT_PARAMETERS[name].allowedPattern);
  }
  return { SecretArn: [secretArn], VersionId: [versionId] };
}
