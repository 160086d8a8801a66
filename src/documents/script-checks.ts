import type { Problem } from './rules';

/**
 * Line-based checks of the script a step runs. They read the script the way a reviewer would, not like a shell:
 * a heuristic that catches the usual mistakes of a customization (trace flags, echoing a password, splicing
 * parameters into the text, dropping strict error handling), not a proof.
 */

/** One script line and the line of the file it came from. */
export interface ScriptLine {
  readonly text: string;
  readonly fileLine: number;
}

/** The shell a step runs. */
export type ScriptKind = 'shell' | 'powershell';

const SECRET_NAME = /pass|pwd|secret|token|cred/i;
const NOT_SECRET_NAME = /(arn|versionid|_id|id)$/i;
const SECRET_SOURCE = /get-secret-value|Get-SECSecretValue|SecretString/i;

/** Checks one step's script; `stepLine` is reported for what is missing from the whole script. */
export function checkScript(kind: ScriptKind, lines: readonly ScriptLine[], stepLine: number): Problem[] {
  const problems: Problem[] = [];
  const secrets = secretVariables(kind, lines);
  for (const { text, fileLine } of lines) {
    const code = stripComment(kind, text);
    checkSplice(kind, text, fileLine, problems);
    if (code.trim() === '') continue;
    if (kind === 'shell' && /(^|[;&|]\s*)set\s+(-[A-Za-z]*x|-o\s+xtrace)\b|\b(ba|da|z|k)?sh\s+-[A-Za-z]*x/.test(code)) {
      problems.push({
        rule: 'no-trace',
        line: fileLine,
        message: 'shell tracing prints every expanded value, secrets too',
      });
    }
    if (kind === 'powershell' && /Set-PSDebug\b[^\n]*-Trace\s+[12]/i.test(code)) {
      problems.push({
        rule: 'no-trace',
        line: fileLine,
        message: 'Set-PSDebug -Trace prints every value, secrets too',
      });
    }
    if (/\bexit\s+(3010|194)\b/.test(code)) {
      problems.push({
        rule: 'no-reboot-exit',
        line: fileLine,
        message: 'exit 3010/194 asks the SSM Agent to reboot the host: use exit 1 for failures',
      });
    }
    if (kind === 'shell' && /(^|[;&|]\s*)set\s+(\+[A-Za-z]*e|\+o\s+errexit)\b/.test(code)) {
      problems.push({ rule: 'exit-on-error', line: fileLine, message: 'set +e turns off exit-on-error' });
    }
    const leaked = echoedSecret(kind, code, secrets);
    if (leaked) {
      problems.push({
        rule: 'no-echo-secret',
        line: fileLine,
        message: `${leaked} looks like a secret and reaches the command output (visible in Run Command history)`,
      });
    }
  }
  const all = lines.map((l) => stripComment(kind, l.text)).join('\n');
  if (kind === 'shell' && !/(^|\n)\s*set\s+(-[A-Za-z]*e|-o\s+errexit)/.test(all)) {
    problems.push({
      rule: 'exit-on-error',
      line: stepLine,
      message: 'the shell script has no set -e (set -euo pipefail): a failing command would not fail the step',
    });
  }
  if (kind === 'powershell') {
    const lastCatch = all.search(/\bcatch\s*(\[[^\]]*\]\s*)?\{(?![\s\S]*\bcatch\s*(\[[^\]]*\]\s*)?\{)/i);
    const missing = [
      [/\$ErrorActionPreference\s*=\s*['"]Stop['"]/i.test(all), "$ErrorActionPreference = 'Stop'"],
      [lastCatch >= 0, 'a try/catch'],
      [lastCatch >= 0 && /\bexit\s+1\b/.test(all.slice(lastCatch)), 'exit 1 in the catch block'],
    ]
      .filter(([present]) => !present)
      .map(([, what]) => what as string);
    if (missing.length > 0) {
      problems.push({
        rule: 'exit-on-error',
        line: stepLine,
        message: `the PowerShell script lacks ${missing.join(', ')}: errors could end the step as Success`,
      });
    }
  }
  return problems;
}

/** Whether a line is the documented fallback for agents without ENV_VAR, for parameter `name`. */
export function fallbackParameter(kind: ScriptKind, text: string): string | undefined {
  const m =
    kind === 'shell'
      ? /^\s*\[ -n "\$\{SSM_(\w+):-\}" \] \|\| SSM_(\w+)='\{\{ (\w+) \}\}'\s*$/.exec(text)
      : /^\s*if \(-not \$env:SSM_(\w+)\) \{ \$env:SSM_(\w+) = '\{\{ (\w+) \}\}' \}\s*$/.exec(text);
  return m && m[1] === m[2] && m[2] === m[3] ? m[1] : undefined;
}

function checkSplice(kind: ScriptKind, text: string, fileLine: number, problems: Problem[]): void {
  if (!text.includes('{{')) return;
  if (fallbackParameter(kind, text) !== undefined) return;
  const name = /\{\{\s*([\w:.-]+)\s*\}\}/.exec(text)?.[1] ?? '…';
  const read = kind === 'shell' ? `"$SSM_${name}"` : `$env:SSM_${name}`;
  problems.push({
    rule: 'no-splice',
    line: fileLine,
    message:
      `{{ ${name} }} splices the value into the script text: read ${read} instead ` +
      '(only the documented fallback line may use {{ }})',
  });
}

// Whole-line comments only (both shells start them with #): a # inside a line may be part of a string.
function stripComment(_kind: ScriptKind, text: string): string {
  return /^\s*#/.test(text) ? '' : text;
}

/**
 * Variables that hold a secret: by name (password, secret, token, cred…), or assigned straight from a secret
 * fetch. Not propagated further: fields parsed out of a secret (the user name, the endpoint) are not secret.
 */
function secretVariables(kind: ScriptKind, lines: readonly ScriptLine[]): Set<string> {
  const secrets = new Set<string>();
  const assignment =
    kind === 'shell'
      ? /^\s*(?:if\s+!?\s*)?(?:local\s+|export\s+|readonly\s+)?(\w+)=(.*)$/
      : /^\s*\$(?:script:)?(\w+)\s*=(.*)$/;
  for (const { text } of lines) {
    const m = assignment.exec(text);
    if (!m) continue;
    const [, name = '', value = ''] = m;
    if (isSecretName(name) || SECRET_SOURCE.test(value)) secrets.add(name);
  }
  return secrets;
}

function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SECRET_NAME.test(name);
}

function references(kind: ScriptKind, code: string, secrets: ReadonlySet<string>): string | undefined {
  const re = kind === 'shell' ? /\$\{?(\w+)/g : /\$(?:\{)?(?:script:|env:)?(\w+)/g;
  for (const m of code.matchAll(re)) {
    const name = m[1] ?? '';
    if (secrets.has(name) || (isSecretName(name) && !/^SSM_/.test(name))) return `$${name}`;
  }
  return undefined;
}

/** The secret variable a line writes to the command output, if any. */
function echoedSecret(kind: ScriptKind, code: string, secrets: ReadonlySet<string>): string | undefined {
  if (kind === 'shell') {
    // Each command of a pipeline/list separately: `printf "$pw" | base64` feeds a pipe, not the output.
    for (const segment of code.split(/;|&&|\|\|/)) {
      const m = /(^|\s|\$\(|`)(echo|printf|logger)\b(.*)$/.exec(segment);
      if (!m) continue;
      const [command = '', ...piped] = (m[3] ?? '').split('|');
      const name = references(kind, command, secrets);
      if (!name) continue;
      const toFile = /(^|[^&>0-9])>>?\s*(?!&|\/dev\/(stdout|stderr|tty|fd\/[12]))\S/.test(command);
      const intoCommand = piped.length > 0 && !/^\s*(cat|tee|logger)\b/.test(piped[0] ?? '');
      if (!toFile && !intoCommand) return name;
    }
    return undefined;
  }
  if (
    /\b(Write-(Output|Host|Verbose|Information|Warning|Error|Debug)|echo|Out-(Host|Default|String))\b|\[Console\]::/i.test(
      code,
    )
  ) {
    return references(kind, code, secrets);
  }
  // A bare expression statement is output in PowerShell: `$password` alone on a line prints it.
  const bare = /^\s*\$(\w+)\s*$/.exec(code);
  if (bare && (secrets.has(bare[1] ?? '') || isSecretName(bare[1] ?? ''))) return `$${bare[1]}`;
  return undefined;
}
