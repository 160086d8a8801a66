import { lintDocumentText } from '../../src/documents/lint';
import type { RuleId } from '../../src/documents/rules';
import { lineOf, mutate, SHIPPED } from './shipped-text';

describe('lintDocumentText', () => {
  it('finds no problem in the shipped document', () => {
    expect(lintDocumentText(SHIPPED)).toEqual([]);
  });

  // One known-bad customization per rule: the rule id and the line it is reported on.
  // When a rule is about something missing, the line is that of the enclosing key (the fourth element).
  const cases: [string, () => { text: string; line: number }, RuleId, (() => number)?][] = [
    ['a missing comma', () => mutate('"2.2",', '"2.2"'), 'parse', () => lineOf('"description"')],
    ['schema 2.0', () => mutate('"schemaVersion": "2.2"', '"schemaVersion": "2.0"'), 'schema-version'],
    [
      'VersionId renamed',
      () => mutate('"VersionId": {', '"Version": {'),
      'contract-parameter',
      () => lineOf('"parameters"'),
    ],
    [
      'a looser SecretArn pattern',
      () => mutate('"^arn:aws[a-z-]*:secretsmanager', '"^arn:.*$|^arn:aws[a-z-]*:secretsmanager'),
      'contract-pattern',
    ],
    [
      'an unanchored VersionId pattern',
      () => mutate('"^[A-Za-z0-9-]{32,64}$"', '"[A-Za-z0-9-]{32,64}"'),
      'contract-pattern',
    ],
    ['an unanchored optional pattern', () => mutate('"^(auto|yes|no)$"', '"^(auto|yes|no)"'), 'allowed-pattern'],
    [
      'a parameter without allowedPattern',
      () => mutate('"allowedPattern": "^(auto|yes|no)$",', '"allowedValues": ["auto", "yes", "no"],'),
      'allowed-pattern',
      () => lineOf('"VerifyRelayAuth": {'),
    ],
    [
      'a default its pattern refuses',
      () => mutate('"default": "auto"', '"default": "always"', '"VerifyRelayAuth"'),
      'allowed-pattern',
    ],
    [
      'a pattern that admits spaces and quotes',
      () => mutate('"^(default|/[A-Za-z0-9._/-]{1,200})$"', '"^(default|/[^/]{1,200})$"'),
      'pattern-injection',
    ],
    [
      'a parameter without ENV_VAR',
      () => mutate('"interpolationType": "ENV_VAR",', '"interpolationType": "NONE",', '"IisVirtualServers"'),
      'env-var',
    ],
    [
      'a parameter named like a password',
      () => mutate('"VerifyRelayAuth": {', '"RelayPassword": {'),
      'secret-parameter',
    ],
    [
      'a pattern that could carry a password',
      () => mutate('"^(auto|yes|no)$"', '"^(auto|[A-Za-z0-9+/]{1,64})$"'),
      'secret-parameter',
    ],
    [
      'a parameter spliced into the shell script',
      () => mutate('--secret-id \\"$SSM_SecretArn\\"', "--secret-id '{{ SecretArn }}'"),
      'no-splice',
    ],
    [
      'a parameter spliced into the PowerShell script',
      () => mutate('$env:SSM_SecretArn -cnotmatch', "'{{SecretArn}}' -cnotmatch"),
      'no-splice',
    ],
    ['set -x', () => mutate('"set +x"', '"set -x"'), 'no-trace'],
    ['Set-PSDebug -Trace', () => mutate('"Set-StrictMode -Version 2.0"', '"Set-PSDebug -Trace 2"'), 'no-trace'],
    [
      'echo of the password',
      () => mutate('"  SMTP_PASSWORD=$REPLY"', '"  SMTP_PASSWORD=$REPLY; echo \\"$SMTP_PASSWORD\\""'),
      'no-echo-secret',
    ],
    [
      'printf of the credential to stdout',
      () => mutate('>>\\"$PF_NEW\\"; fi"', '; fi"', 'if [ \\"$replaced\\" = no ]; then printf'),
      'no-echo-secret',
    ],
    ['Write-Output of the password', () => mutate('"  $secret = $null"', '"  Write-Output $pass"'), 'no-echo-secret'],
    ['a bare password expression', () => mutate('"  $secret = $null"', '"  $pass"'), 'no-echo-secret'],
    [
      'no set -e',
      () => mutate('"set -Eeuo pipefail"', '"set -Euo pipefail"'),
      'exit-on-error',
      () => lineOf('"runCommand"'),
    ],
    ['set +e', () => mutate('"set +x"', '"set +e"'), 'exit-on-error'],
    [
      'no ErrorActionPreference Stop',
      () => mutate('"$ErrorActionPreference = \'Stop\'"', '"$x = 1"'),
      'exit-on-error',
      () => lineOf('"runCommand"', '"aws:runPowerShellScript"'),
    ],
    [
      'a catch block that exits 0',
      () => mutate('"  exit 1"', '"  exit 0"', 'status=failed mta=iis'),
      'exit-on-error',
      () => lineOf('"runCommand"', '"aws:runPowerShellScript"'),
    ],
    ['exit 3010', () => mutate('"  exit 1"', '"  exit 3010"', 'status=failed mta=iis'), 'no-reboot-exit'],
    [
      'a shell step on Windows',
      () => mutate('["platformType", "Linux"]', '["platformType", "Windows"]'),
      'platform-precondition',
    ],
    ['another action', () => mutate('"aws:runPowerShellScript"', '"aws:runDocument"'), 'unsupported-action'],
  ];

  it.each(cases)('reports %s', (_name, make, rule, expectedLine) => {
    // Prepare
    const { text, line } = make();

    // Act
    const problems = lintDocumentText(text);

    // Assess
    expect(problems).toContainEqual(expect.objectContaining({ rule, line: expectedLine?.() ?? line }));
  });

  it('reports only the broken guarantee', () => {
    const { text, line } = mutate('"set +x"', '"set -x"');
    expect(lintDocumentText(text)).toEqual([{ rule: 'no-trace', line, message: expect.stringContaining('tracing') }]);
  });

  it('accepts a SecretArn pattern narrowed to one account and secret', () => {
    const { text } = mutate(
      '"^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+$"',
      '"^arn:aws:secretsmanager:eu-west-1:123456789012:secret:ses-smtp-[A-Za-z0-9]{6}$"',
    );
    expect(lintDocumentText(text)).toEqual([]);
  });

  it('accepts printf of the credential into a file or a pipe', () => {
    expect(lintDocumentText(SHIPPED).filter((p) => p.rule === 'no-echo-secret')).toEqual([]);
    expect(SHIPPED).toContain(
      'printf \'%s %s:%s\\\\n\' \\"$PF_RELAYHOST\\" \\"$SMTP_USER\\" \\"$SMTP_PASSWORD\\" >>\\"$PF_NEW\\"',
    );
  });

  it('reports a duplicate key, which JSON parsers resolve differently', () => {
    const { text, line } = mutate('"schemaVersion": "2.2",', '"schemaVersion": "2.2",\n  "schemaVersion": "2.0",');
    expect(lintDocumentText(text)).toEqual([
      { rule: 'parse', line: line + 1, message: expect.stringContaining('duplicate key') },
    ]);
  });
});
