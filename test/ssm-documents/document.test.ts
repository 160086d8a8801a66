import { DOCUMENT_PARAMETERS, documentParameters, RESULT_MARKER } from '../../src/core/document-contract';
import { assembleDocument, stepScript } from '../../src/documents/assemble';
import { lintDocumentText } from '../../src/documents/lint';
import { readShippedDocument, readShippedScripts } from '../../src/documents/shipped';
import { ParameterRejectedError, renderStep, resolveParameters } from './harness/agent';

const document = readShippedDocument();
const scripts = readShippedScripts();
const step = (name: string) => {
  const found = document.mainSteps.find((s) => s.name === name);
  if (!found) throw new Error(`no step ${name}`);
  return found;
};
const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ses-smtp-credential-AbCdEf';
const VERSION = 'a1b2c3d4-0000-4000-8000-123456789abc';

describe('the shipped document', () => {
  it('is exactly the assembly of the script files (regenerate: npx tsx src/documents/shipped.ts)', () => {
    expect(document).toEqual(assembleDocument(scripts));
  });

  it('runs the script files byte for byte', () => {
    expect(stepScript(step('updateLinuxRelay'))).toBe(scripts.linux);
    expect(stepScript(step('updateIisSmtp'))).toBe(scripts.iis);
  });

  it('declares the contract parameters with exactly the contract patterns', () => {
    for (const [name, spec] of Object.entries(DOCUMENT_PARAMETERS)) {
      expect(document.parameters[name]).toMatchObject({
        type: 'String',
        allowedPattern: spec.allowedPattern,
        interpolationType: 'ENV_VAR',
      });
      expect(document.parameters[name]?.default).toBeUndefined();
    }
  });

  it('gives every optional parameter a default its own pattern accepts', () => {
    for (const [name, spec] of Object.entries(document.parameters)) {
      if (name in DOCUMENT_PARAMETERS) continue;
      expect(spec.default).toEqual(expect.any(String));
      expect(new RegExp(spec.allowedPattern).test(spec.default ?? '')).toBe(true);
    }
  });

  it('has one step per platform, each behind its precondition', () => {
    expect(document.schemaVersion).toBe('2.2');
    expect(document.mainSteps.map((s) => [s.action, s.precondition.StringEquals])).toEqual([
      ['aws:runShellScript', ['platformType', 'Linux']],
      ['aws:runPowerShellScript', ['platformType', 'Windows']],
    ]);
  });

  it('passes its own lint', () => {
    expect(lintDocumentText(JSON.stringify(document, null, 2))).toEqual([]);
  });

  it('accepts what the fleet push sends', () => {
    const sent = documentParameters(ARN, VERSION);
    expect(resolveParameters(document, { SecretArn: sent.SecretArn[0]!, VersionId: sent.VersionId[0]! })).toEqual({
      SecretArn: ARN,
      VersionId: VERSION,
      Mta: 'auto',
      PostfixConfigDir: 'default',
      EximConfig: 'default',
      SendmailConfig: '/etc/mail/sendmail.cf',
      IisVirtualServers: 'auto',
      VerifyRelayAuth: 'auto',
    });
  });

  // SSM matches allowedPattern as an unanchored Go regexp; anchoring is what keeps these out.
  it.each([
    ['SecretArn', `${ARN}'; reboot; '`],
    ['SecretArn', `${ARN}$(id)`],
    ['SecretArn', `${ARN}\n`],
    ['SecretArn', `x${ARN}`],
    ['SecretArn', `${ARN}\`id\``],
    ['VersionId', `${VERSION}; rm -rf /`],
    ['VersionId', `${VERSION}"`],
    ['VersionId', '{{ SecretArn }}'],
    ['PostfixConfigDir', "/etc/postfix'; id; '"],
    ['PostfixConfigDir', '/etc/post fix'],
    ['PostfixConfigDir', 'default\n'],
    ['IisVirtualServers', "1'; Remove-Item C:\\ -Recurse; '"],
    ['IisVirtualServers', '1,$(whoami)'],
    ['VerifyRelayAuth', 'yes; id'],
    ['VerifyRelayAuth', 'no\nid'],
    ['Mta', 'exim; id'],
    ['Mta', 'postfix\n'],
    ['Mta', 'qmail'],
    ['EximConfig', '/etc/exim4/exim4.conf$(id)'],
    ['EximConfig', 'relative/exim4.conf'],
    ['EximConfig', "/etc/exim4'; id; '"],
    ['SendmailConfig', 'default'],
    ['SendmailConfig', '/etc/mail/sendmail.cf;id'],
    ['SendmailConfig', '/etc/mail/sendmail cf'],
  ])('rejects an injection attempt in %s', (name, value) => {
    const given: Record<string, string> = { SecretArn: ARN, VersionId: VERSION, [name]: value };
    expect(() => resolveParameters(document, given)).toThrow(ParameterRejectedError);
  });

  it('splices parameters only into the fallback lines, as quoted literals', () => {
    const rendered = renderStep(
      document,
      'updateLinuxRelay',
      resolveParameters(document, { SecretArn: ARN, VersionId: VERSION }),
    );
    const changed = rendered.split('\n').filter((line, i) => line !== scripts.linux.split('\n')[i]);
    expect(changed).toEqual([
      `[ -n "\${SSM_SecretArn:-}" ] || SSM_SecretArn='${ARN}'`,
      `[ -n "\${SSM_VersionId:-}" ] || SSM_VersionId='${VERSION}'`,
      `[ -n "\${SSM_Mta:-}" ] || SSM_Mta='auto'`,
      `[ -n "\${SSM_PostfixConfigDir:-}" ] || SSM_PostfixConfigDir='default'`,
      `[ -n "\${SSM_EximConfig:-}" ] || SSM_EximConfig='default'`,
      `[ -n "\${SSM_SendmailConfig:-}" ] || SSM_SendmailConfig='/etc/mail/sendmail.cf'`,
      `[ -n "\${SSM_VerifyRelayAuth:-}" ] || SSM_VerifyRelayAuth='auto'`,
    ]);
  });
});

describe('the Linux script', () => {
  const lines = scripts.linux.split('\n');

  it('checks its parameters with the contract patterns, each defined once', () => {
    for (const line of [
      `ARN_PATTERN='${DOCUMENT_PARAMETERS.SecretArn.allowedPattern}'`,
      `VERSION_PATTERN='${DOCUMENT_PARAMETERS.VersionId.allowedPattern}'`,
      `MARKER='${RESULT_MARKER}'`,
    ]) {
      expect(lines.filter((l) => l === line)).toHaveLength(1);
    }
    expect(lines.filter((l) => /^(MARKER|ARN_PATTERN|VERSION_PATTERN)=/.test(l))).toHaveLength(3);
  });

  it('starts with a bash shebang (the agent runs sh -c, which is dash on Debian) and strict mode', () => {
    expect(scripts.linux.startsWith('#!/bin/bash\n')).toBe(true);
    expect(lines).toEqual(expect.arrayContaining(['set -Eeuo pipefail', 'set +x', 'umask 077']));
  });

  it('prints the result line only through result(), and runs main last', () => {
    const printers = lines.filter((l) => l.includes('$MARKER'));
    expect(printers).toEqual(['  printf \'%s %s\\n\' "$MARKER" "$*"']);
    expect(lines.filter((l) => l.trim() !== '').at(-1)).toBe('main');
  });

  it('defines every phase for every MTA it can pick', () => {
    const phases = ['installed', 'prerequisites', 'has_credential', 'build', 'reload', 'swap', 'verify', 'details'];
    for (const mta of ['postfix', 'exim', 'sendmail']) {
      for (const phase of phases) expect(lines).toContainEqual(expect.stringMatching(`^${mta}_${phase}\\(\\) \\{`));
    }
  });
});

// The IIS step runs under PowerShell 7 against a fake IIS in iis-update.test.ts; these tests read what only its text
// shows: where IIS is touched, the order of the steps, and what a customization must keep.
describe('the IIS script (text)', () => {
  const iis = scripts.iis;
  const lines = iis.split('\n');
  const functionAt = (name: string) => lines.findIndex((l) => l.startsWith(`function ${name}`));

  it('stops on every error and exits 1 after its last catch block, never with a reboot code', () => {
    expect(lines).toContain("$ErrorActionPreference = 'Stop'");
    expect(lines).toContain('Set-StrictMode -Version 2.0');
    const lastCatch = lines.map((l) => /\bcatch\s*\{/.test(l)).lastIndexOf(true);
    expect(lines.slice(lastCatch)).toContain('  exit 1');
    expect(iis).not.toMatch(/exit\s+(3010|194)\b/);
  });

  it('reads its parameters from $env:SSM_… and checks them with the contract marker and patterns', () => {
    expect(iis).toContain(`$Marker = '${RESULT_MARKER}'`);
    expect(iis).toContain(`$ArnPattern = '${DOCUMENT_PARAMETERS.SecretArn.allowedPattern}'`);
    expect(iis).toContain(`$VersionPattern = '${DOCUMENT_PARAMETERS.VersionId.allowedPattern}'`);
    expect(iis).toContain('$env:SSM_SecretArn -cnotmatch $ArnPattern');
    expect(iis).toContain('$env:SSM_VersionId -cnotmatch $VersionPattern');
    expect(iis.match(/\{\{/g)).toHaveLength(4); // the four fallback lines only
  });

  it('runs named steps in order, then main, and touches IIS only through the seam functions', () => {
    const steps = ['Assert-Prerequisites', 'Get-NewCredential', 'Select-TargetServers', 'Test-NewCredential'];
    const order = [...steps, 'New-SwapPlan', 'Invoke-Swap', 'Confirm-Swap', 'Undo-Swap', 'main'].map(functionAt);
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const seamEnd = functionAt('Stop-Step');
    for (const [at, line] of lines.entries()) {
      if (/Get-WmiObject -Namespace|\[ADSI\]|\.Put\(\)|Get-Service -Name/.test(line)) expect(at).toBeLessThan(seamEnd);
    }
    expect(iis).not.toMatch(/IIS:\/\/LOCALHOST\/SMTPSVC\/1\b/);
    expect(iis).toContain('[ADSI]"IIS://LOCALHOST/SMTPSVC/$Number"');
  });

  it('lists in its header what a customization must keep', () => {
    const header = lines.slice(0, lines.indexOf("$ErrorActionPreference = 'Stop'")).join('\n');
    for (const kept of ['$env:SSM_', '$Marker', 'Write-Result', 'exactly one result line', 'Undo-Swap', 'seam']) {
      expect(header).toContain(kept);
    }
  });

  it('never writes a secret variable to the output', () => {
    const outputs = lines.filter((l) => /Write-(Output|Host)|\[Console\]::/.test(l));
    expect(outputs.length).toBeGreaterThan(0);
    for (const line of outputs)
      expect(line).not.toMatch(/\$(pass|secret|secretString|authSecret|credential|fromWmi)\b/i);
    expect(iis).not.toMatch(/Write-Host/);
  });
});
