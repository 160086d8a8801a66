import { member, stringValue, type JsonEntry, type JsonNode } from './json-lines';
import type { ScriptKind, ScriptLine } from './script-checks';

/**
 * The parts of a Command document the lint rules read, located once: the parameters, and each step with its
 * action, precondition and script lines (each with the line of the file it came from).
 */

/** What each supported action runs, and the platforms its plugin exists on. */
export const STEP_KINDS: Readonly<Record<string, { kind: ScriptKind; platforms: readonly string[] }>> = {
  'aws:runShellScript': { kind: 'shell', platforms: ['Linux', 'MacOS'] },
  'aws:runPowerShellScript': { kind: 'powershell', platforms: ['Windows', 'Linux', 'MacOS'] },
};

/** One step of `mainSteps`. */
export interface StepView {
  readonly node: JsonNode;
  readonly name: string;
  readonly action: string;
  /** The entry of `action`, if present. */
  readonly actionEntry?: JsonEntry;
  /** Undefined for an action the rules cannot check. */
  readonly spec?: { readonly kind: ScriptKind; readonly platforms: readonly string[] };
  /** The entry of `precondition`, if present. */
  readonly precondition?: JsonEntry;
  /** The `StringEquals` pair of the precondition, as strings (empty when it is not a list). */
  readonly platformPair: readonly (string | undefined)[];
  /** The script, one element per line of text. */
  readonly lines: readonly ScriptLine[];
  /** Where to report what is missing from the whole script: `runCommand`, else the step. */
  readonly scriptLine: number;
}

/** A parsed document, as the rules see it. */
export interface DocumentModel {
  readonly root: JsonNode;
  readonly schemaVersion?: JsonEntry;
  /** The `parameters` entry, if present. */
  readonly parameters?: JsonEntry;
  /** The declared parameters (empty when `parameters` is missing or not an object). */
  readonly declared: ReadonlyMap<string, JsonEntry>;
  /** The `mainSteps` entry, if present. */
  readonly mainSteps?: JsonEntry;
  /** The steps (empty when `mainSteps` is missing or not a list). */
  readonly steps: readonly StepView[];
}

/** Locates the parts of a document tree. */
export function documentModel(root: JsonNode): DocumentModel {
  const parameters = member(root, 'parameters');
  const mainSteps = member(root, 'mainSteps');
  return {
    root,
    schemaVersion: member(root, 'schemaVersion'),
    parameters,
    declared: parameters?.value.kind === 'object' ? parameters.value.entries : new Map(),
    mainSteps,
    steps: mainSteps?.value.kind === 'array' ? mainSteps.value.items.map(stepView) : [],
  };
}

function stepView(node: JsonNode): StepView {
  const actionEntry = member(node, 'action');
  const action = stringValue(actionEntry?.value) ?? '';
  const precondition = member(node, 'precondition');
  const condition = member(precondition?.value, 'StringEquals')?.value;
  const run = member(member(node, 'inputs')?.value, 'runCommand');
  const lines: ScriptLine[] = [];
  if (run?.value.kind === 'array') {
    for (const item of run.value.items) {
      const text = stringValue(item) ?? '';
      const fileLines = item.kind === 'string' ? item.lines : undefined;
      text.split('\n').forEach((part, i) => lines.push({ text: part, fileLine: fileLines?.[i] ?? item.line }));
    }
  }
  return {
    node,
    name: stringValue(member(node, 'name')?.value) ?? '(unnamed)',
    action,
    actionEntry,
    spec: STEP_KINDS[action],
    precondition,
    platformPair: condition?.kind === 'array' ? condition.items.map(stringValue) : [],
    lines,
    scriptLine: run?.keyLine ?? node.line,
  };
}

/** The steps whose action the rules can check, with their script kind. */
export function checkedSteps(model: DocumentModel): (StepView & { spec: NonNullable<StepView['spec']> })[] {
  return model.steps.filter((s): s is StepView & { spec: NonNullable<StepView['spec']> } => s.spec !== undefined);
}
