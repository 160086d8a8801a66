/** The guarantees `lint-document` checks, by rule id (stable: scripts may filter on them). */
export const RULES = {
  parse: 'the file is a JSON object (YAML is not supported: convert it to JSON first)',
  'schema-version': 'schemaVersion is "2.2" (steps with platform preconditions)',
  'contract-parameter': 'the parameters SecretArn and VersionId the fleet push sends are declared, type String',
  'contract-pattern': "SecretArn and VersionId keep the contract's allowedPattern (identical, or at least as strict)",
  'allowed-pattern': 'every parameter has an allowedPattern that compiles, is anchored (^…$) and admits its default',
  'pattern-injection': 'no allowedPattern admits quotes, $, `, \\, ;, |, &, <, >, braces, globs or white space',
  'env-var': 'every parameter uses interpolationType ENV_VAR',
  'secret-parameter': 'no parameter could carry a password (by its name or a pattern loose enough for one)',
  'no-splice': 'scripts read $SSM_<Name> / $env:SSM_<Name>; {{ }} appears only in the documented fallback line',
  'no-trace': 'no set -x / set -o xtrace / bash -x / Set-PSDebug -Trace',
  'no-echo-secret': 'no echo/printf/Write-Output/Write-Host (or bare expression) of a secret variable',
  'exit-on-error': 'failures end the step non-zero: set -e (and no set +e); $ErrorActionPreference Stop, catch, exit 1',
  'no-reboot-exit': 'no exit 3010 / exit 194 (the agent would reboot the host)',
  'platform-precondition': 'every step has a platformType precondition matching its action',
  'unsupported-action': 'only aws:runShellScript and aws:runPowerShellScript steps (others cannot be checked)',
} as const;

/** A rule id. */
export type RuleId = keyof typeof RULES;

/** One problem found in a document, at a 1-based line of the file. */
export interface Problem {
  readonly rule: RuleId;
  readonly line: number;
  readonly message: string;
}
