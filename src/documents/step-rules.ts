import { checkedSteps, type DocumentModel } from './document-model';
import type { Finding } from './rule';

/** The rules about the document's shape and its steps: schema, actions, platform preconditions. */

export const parse = {
  id: 'parse',
  text: 'the file is a JSON or YAML document whose top level is an object (mapping)',
  // Syntax errors are reported under this id by the readers (json-lines.ts, yaml-lines.ts).
  check(model: DocumentModel): Finding[] {
    if (model.root.kind === 'object') return [];
    return [{ line: model.root.line, message: 'the document must be an object (JSON) or a mapping (YAML)' }];
  },
} as const;

export const schemaVersion = {
  id: 'schema-version',
  text: 'schemaVersion is "2.2" (steps with platform preconditions), and mainSteps lists the steps',
  check(model: DocumentModel): Finding[] {
    const findings: Finding[] = [];
    const value = model.schemaVersion?.value;
    if (value?.kind !== 'string' || value.value !== '2.2') {
      findings.push({
        line: model.schemaVersion?.keyLine ?? 1,
        message:
          'schemaVersion must be "2.2": one document with a precondition per platform (2.0 fails mixed fleets)' +
          (value?.kind === 'number' ? '; in YAML quote it (schemaVersion: "2.2"), unquoted it is a number' : ''),
      });
    }
    if (model.mainSteps?.value.kind !== 'array' || model.steps.length === 0) {
      findings.push({ line: model.mainSteps?.keyLine ?? model.root.line, message: 'mainSteps must list the steps' });
    }
    return findings;
  },
} as const;

export const unsupportedAction = {
  id: 'unsupported-action',
  text: 'only aws:runShellScript and aws:runPowerShellScript steps (others cannot be checked)',
  check(model: DocumentModel): Finding[] {
    return model.steps
      .filter((step) => step.spec === undefined)
      .map((step) => ({
        line: step.actionEntry?.keyLine ?? step.node.line,
        message: `step ${step.name}: action ${step.action || '(none)'} cannot be checked; only aws:runShellScript and aws:runPowerShellScript`,
      }));
  },
} as const;

export const platformPrecondition = {
  id: 'platform-precondition',
  text: 'every step has a platformType precondition matching its action',
  check(model: DocumentModel): Finding[] {
    return checkedSteps(model).flatMap((step) => {
      const [key, platform] = step.platformPair;
      if (step.platformPair.length === 2 && key === 'platformType' && step.spec.platforms.includes(platform ?? '')) {
        return [];
      }
      return [
        {
          line: step.precondition?.keyLine ?? step.node.line,
          message:
            `step ${step.name} needs "precondition": {"StringEquals": ["platformType", "${step.spec.platforms[0]}"]} ` +
            'so each host runs only its own platform step',
        },
      ];
    });
  },
} as const;

/**
 * The PowerShell step is the IIS SMTP step, which exists only on Windows. PowerShell 7 runs on Linux, so SSM accepts
 * a Linux precondition there, but then Windows relays skip the step (a host whose platform matches no step reports
 * Success without running anything) and keep the old credential, which the next rotation deletes.
 */
export const stepPlatform = {
  id: 'step-platform',
  text: 'the aws:runPowerShellScript (IIS SMTP) step runs on Windows, not on Linux or macOS',
  check(model: DocumentModel): Finding[] {
    return checkedSteps(model).flatMap((step) => {
      const [key, platform] = step.platformPair;
      if (step.spec.kind !== 'powershell' || key !== 'platformType' || platform === 'Windows') return [];
      if (platform !== 'Linux' && platform !== 'MacOS') return [];
      return [
        {
          line: step.precondition?.keyLine ?? step.node.line,
          message:
            `step ${step.name} runs aws:runPowerShellScript (IIS SMTP) but its precondition selects ${platform}: ` +
            'Windows relays would skip it and report Success while keeping the old credential, and ' +
            `${platform} hosts would run a Windows script. Use ["platformType", "Windows"]`,
        },
      ];
    });
  },
} as const;
