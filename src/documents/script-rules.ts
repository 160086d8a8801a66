import { checkedSteps, type DocumentModel, type StepView } from './document-model';
import type { Finding } from './rule';
import {
  echoedSecret,
  references,
  SECRET_SOURCE,
  secretVariables,
  spliceProblem,
  stripComment,
  type ScriptKind,
  type ScriptLine,
} from './script-checks';

/** The rules about the scripts the steps run (read line by line; see script-checks.ts for the readings). */

type Step = StepView & { spec: NonNullable<StepView['spec']> };

/** Runs `check` on every non-blank, non-comment line of every checked step. */
function perCodeLine(
  model: DocumentModel,
  check: (kind: ScriptKind, code: string, step: Step) => string | undefined,
): Finding[] {
  return checkedSteps(model).flatMap((step) =>
    step.lines.flatMap(({ text, fileLine }) => {
      const code = stripComment(step.spec.kind, text);
      const message = code.trim() === '' ? undefined : check(step.spec.kind, code, step);
      return message === undefined ? [] : [{ line: fileLine, message }];
    }),
  );
}

export const noSplice = {
  id: 'no-splice',
  text: 'scripts read $SSM_<Name> / $env:SSM_<Name>; {{ }} appears only in the documented fallback line',
  check(model: DocumentModel): Finding[] {
    // Comment lines too: the agent substitutes {{ }} everywhere in the text.
    return checkedSteps(model).flatMap((step) =>
      step.lines.flatMap(({ text, fileLine }) => {
        const message = spliceProblem(step.spec.kind, text);
        return message === undefined ? [] : [{ line: fileLine, message }];
      }),
    );
  },
} as const;

export const noTrace = {
  id: 'no-trace',
  text: 'no set -x / set -o xtrace / bash -x / Set-PSDebug -Trace',
  check(model: DocumentModel): Finding[] {
    return perCodeLine(model, (kind, code) => {
      if (
        kind === 'shell' &&
        /(^|[;&|]\s*)set\s+(-[A-Za-z]*x|-o\s+xtrace)\b|\b(ba|da|z|k)?sh\s+-[A-Za-z]*x/.test(code)
      ) {
        return 'shell tracing prints every expanded value, secrets too';
      }
      if (kind === 'powershell' && /Set-PSDebug\b[^\n]*-Trace\s+[12]/i.test(code)) {
        return 'Set-PSDebug -Trace prints every value, secrets too';
      }
      return undefined;
    });
  },
} as const;

export const noEchoSecret = {
  id: 'no-echo-secret',
  text: 'no echo/printf/Write-Output/Write-Host (or bare expression) of a secret variable',
  check(model: DocumentModel): Finding[] {
    const secrets = new Map<Step, Set<string>>();
    return perCodeLine(model, (kind, code, step) => {
      if (!secrets.has(step)) secrets.set(step, secretVariables(kind, step.lines));
      const leaked = echoedSecret(kind, code, secrets.get(step) as Set<string>);
      return leaked
        ? `${leaked} looks like a secret and reaches the command output (visible in Run Command history)`
        : undefined;
    });
  },
} as const;

export const exitOnError = {
  id: 'exit-on-error',
  text: 'failures end the step non-zero: set -e (and no set +e); $ErrorActionPreference Stop, catch, exit 1',
  check(model: DocumentModel): Finding[] {
    const findings = perCodeLine(model, (kind, code) =>
      kind === 'shell' && /(^|[;&|]\s*)set\s+(\+[A-Za-z]*e|\+o\s+errexit)\b/.test(code)
        ? 'set +e turns off exit-on-error'
        : undefined,
    );
    for (const step of checkedSteps(model)) {
      const message = missingErrorHandling(step.spec.kind, step.lines);
      if (message !== undefined) findings.push({ line: step.scriptLine, message });
    }
    return findings;
  },
} as const;

export const noRebootExit = {
  id: 'no-reboot-exit',
  text: 'no exit 3010 / exit 194 (the agent would reboot the host)',
  check(model: DocumentModel): Finding[] {
    return perCodeLine(model, (_kind, code) =>
      /\bexit\s+(3010|194)\b/.test(code)
        ? 'exit 3010/194 asks the SSM Agent to reboot the host: use exit 1 for failures'
        : undefined,
    );
  },
} as const;

const HERE_DOCUMENT = /(?<!<)<<(?!<)-?\s*(['"]?)([A-Za-z_]\w*)\1/;

/**
 * bash writes here-strings and here-documents to a temporary file before 5.1 (Amazon Linux 2, RHEL 8), and 5.1+
 * still does when the text is larger than a pipe buffer; a pipe from the printf builtin never touches the disk.
 */
export const noHeredocSecret = {
  id: 'no-heredoc-secret',
  text: 'no here-string (<<<) or here-document (<<EOF) feeds a secret to a process (bash writes them to a temp file)',
  check(model: DocumentModel): Finding[] {
    return checkedSteps(model)
      .filter((step) => step.spec.kind === 'shell')
      .flatMap((step) => heredocFindings(step.lines, secretVariables('shell', step.lines)));
  },
} as const;

const HEREDOC_FIX =
  'bash writes here-strings and here-documents to a temporary file (always before bash 5.1, e.g. Amazon Linux 2 ' +
  `and RHEL 8), so the secret can reach the disk: pipe it instead (printf '%s' "$value" | …, or cmd | …)`;

function heredocFindings(lines: readonly ScriptLine[], secrets: ReadonlySet<string>): Finding[] {
  const secretIn = (code: string): string | undefined =>
    references('shell', code, secrets) ?? (SECRET_SOURCE.test(code) ? 'the fetched secret' : undefined);
  const findings: Finding[] = [];
  for (let i = 0; i < lines.length; i++) {
    const { text, fileLine } = lines[i] as ScriptLine;
    const code = stripComment('shell', text);
    const hereString = /<<<(.*)$/.exec(code);
    const fed = hereString ? secretIn(hereString[1] ?? '') : undefined;
    if (fed) {
      findings.push({ line: fileLine, message: `${fed} is fed to a process through a here-string: ${HEREDOC_FIX}` });
      continue;
    }
    const here = code.includes('((') ? null : HERE_DOCUMENT.exec(code);
    if (!here) continue;
    const [, quote, delimiter] = here;
    let end = i + 1;
    let leaked: string | undefined;
    for (; end < lines.length && (lines[end] as ScriptLine).text.trim() !== delimiter; end++) {
      // A quoted delimiter turns expansion off: "$password" in the body is then literal text.
      if (!quote) leaked ??= secretIn((lines[end] as ScriptLine).text);
    }
    if (leaked) {
      findings.push({
        line: fileLine,
        message: `${leaked} is fed to a process through a here-document: ${HEREDOC_FIX}`,
      });
    }
    i = end;
  }
  return findings;
}

/** What a whole script lacks to fail its step on errors, or undefined. */
function missingErrorHandling(kind: ScriptKind, lines: readonly ScriptLine[]): string | undefined {
  const all = lines.map((l) => stripComment(kind, l.text)).join('\n');
  if (kind === 'shell') {
    // Any option order: set -Eeuo pipefail, set -E -o errexit -o nounset.
    return /(^|\n)\s*set\s+((-[A-Za-z]+|-o\s+\w+)\s+)*(-[A-Za-z]*e[A-Za-z]*|-o\s+errexit)\b/.test(all)
      ? undefined
      : 'the shell script has no set -e (set -euo pipefail): a failing command would not fail the step';
  }
  const lastCatch = all.search(/\bcatch\s*(\[[^\]]*\]\s*)?\{(?![\s\S]*\bcatch\s*(\[[^\]]*\]\s*)?\{)/i);
  const missing = [
    [/\$ErrorActionPreference\s*=\s*['"]Stop['"]/i.test(all), "$ErrorActionPreference = 'Stop'"],
    [lastCatch >= 0, 'a try/catch'],
    [lastCatch >= 0 && /\bexit\s+1\b/.test(all.slice(lastCatch)), 'exit 1 in the catch block'],
  ]
    .filter(([present]) => !present)
    .map(([, what]) => what as string);
  return missing.length > 0
    ? `the PowerShell script lacks ${missing.join(', ')}: errors could end the step as Success`
    : undefined;
}
