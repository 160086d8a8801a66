import { lintDocumentText } from '../../src/documents/lint';
import { RULES, type RuleId } from '../../src/documents/rules';
import { lineOf, mutate, SHIPPED } from './shipped-text';

type Case = () => { text: string; line?: number };

/** A line of the Linux step's secret fetch, after the password is in SMTP_PASSWORD: where secret-use cases go. */
const ANCHOR = '"  secret_json=\'\'",';

/**
 * One failing and one passing customization per rule, the passing one as close to the failing one as the rule
 * allows. A rule added to the table without cases fails the type check (and the completeness test).
 */
const CASES: Record<RuleId, { fail: Case; pass: Case }> = {
  parse: {
    fail: () => mutate('"2.2",', '"2.2"'),
    pass: () => ({ text: `\uFEFF${SHIPPED}` }),
  },
  'schema-version': {
    fail: () => mutate('"schemaVersion": "2.2"', '"schemaVersion": "2.0"'),
    pass: () => mutate('"schemaVersion": "2.2",', '"schemaVersion":"2.2",'),
  },
  'contract-parameter': {
    fail: () => ({
      ...mutate('"type": "String"', '"type": "StringList"', '"VersionId": {'),
      line: lineOf('"VersionId": {'),
    }),
    pass: () => mutate('"Version id of the secret', '"Version id (rotation token) of the secret'),
  },
  'contract-pattern': {
    fail: () => mutate('"^[A-Za-z0-9-]{32,64}$"', '"^[A-Za-z0-9_-]{32,64}$"'),
    pass: () => mutate('"^[A-Za-z0-9-]{32,64}$"', '"^[a-f0-9-]{36}$"'),
  },
  'allowed-pattern': {
    fail: () => mutate('"^(auto|yes|no)$"', '"^auto$|yes|^no$"'),
    pass: () => mutate('"^(auto|yes|no)$"', '"^auto$|^yes$|^no$"'),
  },
  'pattern-injection': {
    fail: () => mutate('"^(default|/[A-Za-z0-9._/-]{1,200})$"', '"^(default|/[A-Za-z0-9._/ -]{1,200})$"'),
    pass: () => mutate('"^(default|/[A-Za-z0-9._/-]{1,200})$"', '"^(default|/[A-Za-z0-9_/-]{1,100})$"'),
  },
  'env-var': {
    fail: () => mutate('"interpolationType": "ENV_VAR",', '"interpolationType": "NONE",', '"IisVirtualServers"'),
    pass: () => mutate('"interpolationType": "ENV_VAR",', '"interpolationType":"ENV_VAR",', '"IisVirtualServers"'),
  },
  'secret-parameter': {
    fail: () => mutate('"VerifyRelayAuth": {', '"RelayPassword": {'),
    pass: () => mutate('"VerifyRelayAuth": {', '"RelayAuthCheck": {'),
  },
  'parameter-default': {
    fail: () => ({
      ...mutate(
        '"interpolationType": "ENV_VAR",\n      "default": "auto"\n    }\n  },',
        '"interpolationType": "ENV_VAR"\n    }\n  },',
        '"VerifyRelayAuth"',
      ),
      line: lineOf('"VerifyRelayAuth": {'),
    }),
    pass: () => mutate('"default": "auto"\n    }\n  },', '"default": "no"\n    }\n  },', '"VerifyRelayAuth"'),
  },
  'no-splice': {
    fail: () => mutate('--secret-id \\"$SSM_SecretArn\\"', "--secret-id '{{ SecretArn }}'"),
    pass: () => mutate('--secret-id \\"$SSM_SecretArn\\"', '--secret-id \\"${SSM_SecretArn}\\"'),
  },
  'no-trace': {
    fail: () => mutate('"set +x"', '"set -x"'),
    pass: () => mutate('"set +x"', '"set +o xtrace"'),
  },
  'no-echo-secret': {
    fail: () => mutate(ANCHOR, '"  echo \\"$SMTP_PASSWORD\\"; secret_json=\'\'",'),
    pass: () => mutate(ANCHOR, '"  echo \\"$SMTP_USER\\" >/dev/null; secret_json=\'\'",'),
  },
  'no-heredoc-secret': {
    fail: () => mutate(ANCHOR, '"  base64 <<<\\"$SMTP_PASSWORD\\" >/dev/null; secret_json=\'\'",'),
    pass: () => mutate(ANCHOR, '"  printf \'%s\' \\"$SMTP_PASSWORD\\" | base64 >/dev/null; secret_json=\'\'",'),
  },
  'exit-on-error': {
    fail: () => mutate('"set -Eeuo pipefail"', '"set -Euo pipefail"'),
    pass: () => mutate('"set -Eeuo pipefail"', '"set -E -o errexit -o nounset -o pipefail"'),
  },
  'no-reboot-exit': {
    fail: () => mutate('"set +x"', '"set +x; [ -d /etc/postfix ] || exit 194"'),
    pass: () => mutate('"set +x"', '"set +x; [ -d /etc/postfix ] || exit 19"'),
  },
  'script-contract': {
    fail: () => mutate(`"MARKER='ses-smtp-rotation-result'",`, `"MARKER='ses-smtp-rotation-status'",`),
    pass: () => mutate(`"MARKER='ses-smtp-rotation-result'",`, `"readonly MARKER='ses-smtp-rotation-result'",`),
  },
  'platform-precondition': {
    fail: () => mutate('["platformType", "Linux"]', '["platformType", "Windows"]'),
    pass: () => mutate('["platformType", "Linux"]', '["platformType", "MacOS"]'),
  },
  'step-platform': {
    fail: () => mutate('["platformType", "Windows"]', '["platformType", "Linux"]'),
    pass: () =>
      mutate('{ "StringEquals": ["platformType", "Windows"] }', '{"StringEquals": ["platformType","Windows"]}'),
  },
  'unsupported-action': {
    fail: () => mutate('"aws:runPowerShellScript"', '"aws:runDocument"'),
    pass: () => mutate('"aws:runPowerShellScript"', '"aws:runPowerShellScript" '),
  },
};

describe('RULES', () => {
  it('has cases for exactly the rules of the table, and unique ids', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.keys(CASES).sort()).toEqual([...ids].sort());
  });

  describe.each(RULES.map((r) => [r.id, r] as const))('%s', (id, rule) => {
    it('reports only this rule, at the changed line, for its failing case', () => {
      // Prepare
      const { text, line } = CASES[id].fail();

      // Act
      const problems = lintDocumentText(text);

      // Assess
      expect(problems.length).toBeGreaterThan(0);
      expect(problems.map((p) => p.rule)).toEqual(problems.map(() => id));
      expect(rule.check).toBeDefined();
      if (line !== undefined && id !== 'parse' && id !== 'exit-on-error') {
        expect(problems.map((p) => p.line)).toContain(line);
      }
    });

    it('reports nothing for its passing case', () => {
      expect(lintDocumentText(CASES[id].fail().text)).not.toEqual([]);
      expect(lintDocumentText(CASES[id].pass().text)).toEqual([]);
    });
  });
});

describe('no-heredoc-secret', () => {
  const insert = (lines: string[]): { text: string; line: number } =>
    mutate(ANCHOR, `${lines.map((l) => JSON.stringify(l)).join(',\n          ')},\n          ${ANCHOR}`);

  it('reports a here-document that expands the password, at its first line', () => {
    const { text, line } = insert(['base64 >/dev/null <<EOF', '$SMTP_PASSWORD', 'EOF']);
    expect(lintDocumentText(text)).toEqual([
      { rule: 'no-heredoc-secret', line, message: expect.stringContaining('temporary file') },
    ]);
  });

  it('reports a here-string fed straight from a secret fetch', () => {
    const { text, line } = insert(['base64 >/dev/null <<<"$(aws secretsmanager get-secret-value --secret-id x)"']);
    expect(lintDocumentText(text)).toEqual([
      { rule: 'no-heredoc-secret', line, message: expect.stringContaining('the fetched secret') },
    ]);
  });

  it('accepts a here-document with a quoted delimiter (no expansion) or without a secret', () => {
    expect(lintDocumentText(insert(['base64 >/dev/null <<"EOF"', '$SMTP_PASSWORD', 'EOF']).text)).toEqual([]);
    expect(lintDocumentText(insert(['cat >/dev/null <<-EOF', '  relay $relayhost', '  EOF']).text)).toEqual([]);
  });
});

describe('step-platform', () => {
  it('reports the IIS step on macOS too, and names the platform', () => {
    const { text, line } = mutate('["platformType", "Windows"]', '["platformType", "MacOS"]');
    expect(lintDocumentText(text)).toEqual([
      { rule: 'step-platform', line, message: expect.stringContaining('selects MacOS') },
    ]);
  });
});

describe('script-contract', () => {
  it('reports a loosened parameter pattern in the PowerShell step, naming the contract', () => {
    const { text, line } = mutate(`"$ArnPattern = '^arn:aws`, `"$ArnPattern = '^arn:(aws|x)`);
    expect(lintDocumentText(text)).toEqual([
      { rule: 'script-contract', line, message: expect.stringContaining('ArnPattern must be ^arn:aws') },
    ]);
  });

  it('reports a step that never prints the result marker, at its script', () => {
    const text = SHIPPED.split('ses-smtp-rotation-result').join('ses-smtp-rotation-status');
    const problems = lintDocumentText(text).filter((p) => p.message.includes('never prints'));
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringContaining('step updateLinuxRelay never prints ses-smtp-rotation-result'),
      expect.stringContaining('never prints ses-smtp-rotation-result'),
    ]);
  });
});
