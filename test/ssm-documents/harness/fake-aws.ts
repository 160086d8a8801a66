import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A stand-in for the AWS CLI on the host: an `aws` executable that answers exactly one call shape,
 * `secretsmanager get-secret-value --secret-id <arn> (--version-id <id> | --version-stage <label>) --region <r>
 * --query SecretString --output text`, for one secret ARN in its region, with the versions and labels a test stored. Anything else fails the way
 * the real CLI does (message on stderr, exit 254). Every call's arguments are logged (they hold no secret).
 */
export interface FakeAws {
  /** Directory to put first on PATH. */
  readonly binDir: string;
  /** Stores a version's SecretString (0600 file in the fake's directory). */
  putVersion(versionId: string, secretString: string): void;
  /** Attaches a staging label (e.g. AWSCURRENT) to a stored version, moving it from any other. */
  setStage(stage: string, versionId: string): void;
  /** The argument lines of every call so far. */
  calls(): string[];
}

/** Creates the fake under `dir` for the secret `secretArn`. */
export function createFakeAws(dir: string, secretArn: string): FakeAws {
  const binDir = join(dir, 'bin');
  const versionsDir = join(dir, 'versions');
  const stagesDir = join(dir, 'stages');
  const log = join(dir, 'calls.log');
  mkdirSync(binDir, { recursive: true });
  mkdirSync(versionsDir, { recursive: true, mode: 0o700 });
  mkdirSync(stagesDir, { recursive: true, mode: 0o700 });
  const region = secretArn.split(':')[3];
  const script = `#!/bin/bash
# Test double of the AWS CLI v2 (secretsmanager get-secret-value only).
printf '%s\\n' "$*" >>'${log}'
[ "$1 $2" = 'secretsmanager get-secret-value' ] || { echo "aws: fake supports get-secret-value only" >&2; exit 252; }
shift 2
declare -A opt
while [ $# -gt 0 ]; do opt[$1]=$2; shift 2 || { echo "aws: missing value" >&2; exit 252; }; done
if [ "\${opt[--query]:-}" != SecretString ] || [ "\${opt[--output]:-}" != text ]; then
  echo "aws: fake expects --query SecretString --output text" >&2; exit 252
fi
if [ "\${opt[--region]:-}" != '${region}' ]; then
  echo "An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation: Secrets Manager can't find the specified secret." >&2; exit 254
fi
version="\${opt[--version-id]:-}"
if [ -z "$version" ] && [ -n "\${opt[--version-stage]:-}" ] && [ -f '${stagesDir}/'"\${opt[--version-stage]}" ]; then
  version=$(cat '${stagesDir}/'"\${opt[--version-stage]}")
fi
file='${versionsDir}/'"\${version:-none}"
if [ "\${opt[--secret-id]:-}" != '${secretArn}' ] || [ ! -f "$file" ]; then
  echo "An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation: Secrets Manager can't find the specified secret value for VersionId: \${opt[--version-id]:-}" >&2; exit 254
fi
cat "$file"
echo
`;
  writeFileSync(join(binDir, 'aws'), script);
  chmodSync(join(binDir, 'aws'), 0o755);
  return {
    binDir,
    putVersion(versionId, secretString) {
      writeFileSync(join(versionsDir, versionId), secretString, { mode: 0o600 });
    },
    setStage(stage, versionId) {
      writeFileSync(join(stagesDir, stage), versionId);
    },
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []),
  };
}
