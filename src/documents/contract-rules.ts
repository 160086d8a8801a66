import { DOCUMENT_PARAMETERS, RESULT_MARKER } from '../core/document-contract';
import { checkedSteps, type DocumentModel } from './document-model';
import type { Finding } from './rule';
import { assignment, stripComment, type ScriptKind } from './script-checks';

/**
 * The contract between the fleet push and a step's script, as src/core/document-contract.ts defines it: the script
 * prints the result marker the push reads, and where it names the marker or re-checks the parameters itself it
 * uses the contract's exact values. A customization that renames the marker or loosens a pattern would make
 * every push fail to read its result, or let through what the document's own pattern refuses.
 */
const CONTRACT_VALUES: Record<ScriptKind, Record<string, string>> = {
  shell: {
    MARKER: RESULT_MARKER,
    ARN_PATTERN: DOCUMENT_PARAMETERS.SecretArn.allowedPattern,
    VERSION_PATTERN: DOCUMENT_PARAMETERS.VersionId.allowedPattern,
  },
  powershell: {
    Marker: RESULT_MARKER,
    ArnPattern: DOCUMENT_PARAMETERS.SecretArn.allowedPattern,
    VersionPattern: DOCUMENT_PARAMETERS.VersionId.allowedPattern,
  },
};

/** The value an assignment gives, without its quotes. */
function unquoted(value: string): string {
  const quoted = /^'([^']*)'$|^"([^"]*)"$/.exec(value);
  return quoted ? (quoted[1] ?? quoted[2] ?? '') : value;
}

export const scriptContract = {
  id: 'script-contract',
  text: `scripts print the result marker ${RESULT_MARKER} and keep the contract's marker and parameter patterns`,
  check(model: DocumentModel): Finding[] {
    const findings: Finding[] = [];
    for (const step of checkedSteps(model)) {
      const expected = CONTRACT_VALUES[step.spec.kind];
      let printsMarker = false;
      for (const { text, fileLine } of step.lines) {
        const code = stripComment(step.spec.kind, text);
        if (code.includes(RESULT_MARKER)) printsMarker = true;
        const set = assignment(step.spec.kind, code);
        const want = set ? expected[set.name] : undefined;
        if (set && want !== undefined && unquoted(set.value) !== want) {
          findings.push({
            line: fileLine,
            message: `${set.name} must be ${want} exactly (src/core/document-contract.ts): the fleet push relies on it`,
          });
        }
      }
      if (!printsMarker) {
        findings.push({
          line: step.scriptLine,
          message: `step ${step.name} never prints ${RESULT_MARKER}: the push reads each host's result from that line`,
        });
      }
    }
    return findings;
  },
} as const;
