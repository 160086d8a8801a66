/**
 * Line-based readings of the script a step runs, used by the script rules (script-rules.ts). They read the script
 * the way a reviewer would, not like a shell: a heuristic that catches the usual mistakes of a customization
 * (trace flags, echoing a password, splicing parameters into the text, dropping strict error handling), not a proof.
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
/** Code that fetches a secret (its value is a secret wherever it flows). */
export const SECRET_SOURCE = /get-secret-value|Get-SECSecretValue|SecretString/i;

/** Whether a line is the documented fallback for agents without ENV_VAR, for parameter `name`. */
export function fallbackParameter(kind: ScriptKind, text: string): string | undefined {
  const m =
    kind === 'shell'
      ? /^\s*\[ -n "\$\{SSM_(\w+):-\}" \] \|\| SSM_(\w+)='\{\{ (\w+) \}\}'\s*$/.exec(text)
      : /^\s*if \(-not \$env:SSM_(\w+)\) \{ \$env:SSM_(\w+) = '\{\{ (\w+) \}\}' \}\s*$/.exec(text);
  return m && m[1] === m[2] && m[2] === m[3] ? m[1] : undefined;
}

/** Why a line splices a parameter into the script text (`{{ Name }}` outside the fallback line), or undefined. */
export function spliceProblem(kind: ScriptKind, text: string): string | undefined {
  if (!text.includes('{{')) return undefined;
  if (fallbackParameter(kind, text) !== undefined) return undefined;
  const name = /\{\{\s*([\w:.-]+)\s*\}\}/.exec(text)?.[1] ?? '…';
  const read = kind === 'shell' ? `"$SSM_${name}"` : `$env:SSM_${name}`;
  return (
    `{{ ${name} }} splices the value into the script text: read ${read} instead ` +
    '(only the documented fallback line may use {{ }})'
  );
}

// Whole-line comments only (both shells start them with #): a # inside a line may be part of a string.
export function stripComment(_kind: ScriptKind, text: string): string {
  return /^\s*#/.test(text) ? '' : text;
}

/**
 * Variables that hold a secret: by name (password, secret, token, cred…), or assigned straight from a secret
 * fetch. Not propagated further: fields parsed out of a secret (the user name, the endpoint) are not secret.
 */
export function secretVariables(kind: ScriptKind, lines: readonly ScriptLine[]): Set<string> {
  const secrets = new Set<string>();
  for (const { text } of lines) {
    const set = assignment(kind, text);
    if (set && (isSecretName(set.name) || SECRET_SOURCE.test(set.value))) secrets.add(set.name);
  }
  return secrets;
}

/**
 * The variable a line assigns and the value as written (trimmed): `NAME=value` in shell (also after `local`,
 * `export`, `readonly`, `declare -r` or `if !`), `$Name = value` in PowerShell (also `$script:Name`).
 */
export function assignment(kind: ScriptKind, text: string): { name: string; value: string } | undefined {
  const m =
    kind === 'shell'
      ? /^\s*(?:if\s+!?\s*)?(?:local\s+|export\s+|readonly\s+|declare\s+-r\s+)?(\w+)=(.*)$/.exec(text)
      : /^\s*\$(?:script:)?(\w+)\s*=(.*)$/.exec(text);
  return m ? { name: m[1] ?? '', value: (m[2] ?? '').trim() } : undefined;
}

function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SECRET_NAME.test(name);
}

/** The first secret variable a piece of code references, as `$name`. */
export function references(kind: ScriptKind, code: string, secrets: ReadonlySet<string>): string | undefined {
  const re = kind === 'shell' ? /\$\{?(\w+)/g : /\$(?:\{)?(?:script:|env:)?(\w+)/g;
  for (const m of code.matchAll(re)) {
    const name = m[1] ?? '';
    if (secrets.has(name) || (isSecretName(name) && !/^SSM_/.test(name))) return `$${name}`;
  }
  return undefined;
}

/** The secret variable a line writes to the command output, if any. */
export function echoedSecret(kind: ScriptKind, code: string, secrets: ReadonlySet<string>): string | undefined {
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
