import { spawnSync } from 'node:child_process';
import { readShippedScripts } from '../../src/documents/shipped';

// ShellCheck reads the Linux step as bash would run it (all parts concatenated), catching quoting and flow mistakes
// the line-based lint-document checks cannot see. Installed by scripts/install-test-peers.sh.
const available = spawnSync('shellcheck', ['--version']).status === 0;
const itShellCheck = available || process.env.CI === 'true' ? it : it.skip;
if (!available && process.env.CI !== 'true') {
  process.stderr.write('\n*** SKIPPING the ShellCheck test: shellcheck is not installed ***\n\n');
}

describe('the Linux step under ShellCheck', () => {
  itShellCheck('has no warning or error', () => {
    // Act
    const result = spawnSync('shellcheck', ['--severity=warning', '--shell=bash', '-'], {
      input: readShippedScripts().linux,
      encoding: 'utf8',
    });

    // Assess
    expect(result.error).toBeUndefined();
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });
});
