import { DOCUMENT_PARAMETERS, type DocumentParameterName } from '../core/document-contract';
import { SesSmtpRotationError } from '../core/errors';
import { JsonSyntaxError, looksLikeYaml, member, parseJsonWithLines, stringValue, type JsonNode } from './json-lines';
import { acceptsPassword, admittedDangerousCharacters, compileError, isAnchored } from './pattern-checks';
import type { Problem } from './rules';
import { checkScript, type ScriptKind, type ScriptLine } from './script-checks';

/**
 * Lints a (customized) SSM Command document against the guarantees the rotation relies on: the contract
 * parameters, strict patterns, ENV_VAR interpolation, strict error handling, no secret in the output.
 */

/** A YAML document: this tool reads JSON only. */
export class UnsupportedDocumentFormatError extends SesSmtpRotationError {}

const CONTRACT_NAMES = Object.keys(DOCUMENT_PARAMETERS) as DocumentParameterName[];
const PASSWORD_NAME = /pass|secret|key|token|cred|pwd/i;
const STEP_KINDS: Readonly<Record<string, { kind: ScriptKind; platforms: readonly string[] }>> = {
  'aws:runShellScript': { kind: 'shell', platforms: ['Linux', 'MacOS'] },
  'aws:runPowerShellScript': { kind: 'powershell', platforms: ['Windows', 'Linux', 'MacOS'] },
};

/** Valid contract values, with which the "at least as strict" probes are built. */
const CONTRACT_SAMPLES: Readonly<Record<DocumentParameterName, string>> = {
  SecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ses-smtp-AbCdEf',
  VersionId: 'a1b2c3d4-0000-4000-8000-123456789abc',
};

/** Returns every problem of the document text, sorted by line. */
export function lintDocumentText(text: string): Problem[] {
  let root: JsonNode;
  try {
    root = parseJsonWithLines(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    if (looksLikeYaml(text)) {
      throw new UnsupportedDocumentFormatError(
        'this looks like a YAML document: lint-document reads JSON only. Convert it first, e.g. ' +
          'yq -o=json document.yaml > document.json, and lint (and deploy) the JSON',
      );
    }
    return [
      { rule: 'parse', line: error.line, message: `not valid JSON: ${error.message.replace(/^line \d+: /, '')}` },
    ];
  }
  if (root.kind !== 'object')
    return [{ rule: 'parse', line: root.line, message: 'the document must be a JSON object' }];
  const problems: Problem[] = [];
  const schema = member(root, 'schemaVersion');
  if (stringValue(schema?.value) !== '2.2') {
    problems.push({
      rule: 'schema-version',
      line: schema?.keyLine ?? 1,
      message: 'schemaVersion must be "2.2": one document with a precondition per platform (2.0 fails mixed fleets)',
    });
  }
  const parameters = member(root, 'parameters');
  checkParameters(parameters, problems);
  checkSteps(member(root, 'mainSteps'), root.line, problems);
  return problems.sort((a, b) => a.line - b.line);
}

function checkParameters(entry: { keyLine: number; value: JsonNode } | undefined, problems: Problem[]): void {
  const declared = entry?.value.kind === 'object' ? entry.value.entries : new Map<string, never>();
  for (const name of CONTRACT_NAMES) {
    const p = declared.get(name);
    if (!p || stringValue(member(p.value, 'type')?.value) !== 'String') {
      problems.push({
        rule: 'contract-parameter',
        line: p?.keyLine ?? entry?.keyLine ?? 1,
        message: `parameter ${name} (type String) is required: the fleet push sends SecretArn and VersionId`,
      });
    }
  }
  for (const [name, { keyLine, value }] of declared) {
    const patternEntry = member(value, 'allowedPattern');
    const pattern = stringValue(patternEntry?.value);
    const patternLine = patternEntry?.keyLine ?? keyLine;
    const isContract = (CONTRACT_NAMES as string[]).includes(name);
    if (stringValue(member(value, 'interpolationType')?.value) !== 'ENV_VAR') {
      problems.push({
        rule: 'env-var',
        line: member(value, 'interpolationType')?.keyLine ?? keyLine,
        message: `parameter ${name} needs "interpolationType": "ENV_VAR" so scripts read $SSM_${name} instead of spliced text`,
      });
    }
    if (!isContract && PASSWORD_NAME.test(name)) {
      problems.push({
        rule: 'secret-parameter',
        line: keyLine,
        message: `parameter ${name} is named like a secret: parameters are stored in plain view; hosts must read secrets from Secrets Manager`,
      });
    }
    if (pattern === undefined) {
      problems.push({ rule: 'allowed-pattern', line: keyLine, message: `parameter ${name} has no allowedPattern` });
      continue;
    }
    const error = compileError(pattern);
    if (error !== undefined) {
      problems.push({
        rule: 'allowed-pattern',
        line: patternLine,
        message: `allowedPattern of ${name} does not compile`,
      });
      continue;
    }
    if (isContract) {
      checkContractPattern(name as DocumentParameterName, pattern, patternLine, problems);
      continue;
    }
    checkCustomPattern(name, pattern, patternLine, value, problems);
  }
}

function checkContractPattern(name: DocumentParameterName, pattern: string, line: number, problems: Problem[]): void {
  const contract = DOCUMENT_PARAMETERS[name].allowedPattern;
  if (pattern === contract) return;
  const mine = new RegExp(pattern);
  const theirs = new RegExp(contract);
  const looser = contractProbes(name).find((probe) => !theirs.test(probe) && mine.test(probe));
  if (!isAnchored(pattern) || looser !== undefined || admittedDangerousCharacters(pattern).length > 0) {
    problems.push({
      rule: 'contract-pattern',
      line,
      message:
        `allowedPattern of ${name} is looser than the contract's ${contract}` +
        (looser !== undefined ? ` (it accepts ${JSON.stringify(looser)})` : '') +
        ': keep the contract pattern, or narrow it',
    });
  }
}

function checkCustomPattern(name: string, pattern: string, line: number, value: JsonNode, problems: Problem[]): void {
  if (!isAnchored(pattern)) {
    problems.push({
      rule: 'allowed-pattern',
      line,
      message: `allowedPattern of ${name} is not anchored: SSM matches it anywhere in the value, so anchor every alternative with ^…$`,
    });
  }
  const dangerous = admittedDangerousCharacters(pattern);
  if (dangerous.length > 0) {
    problems.push({
      rule: 'pattern-injection',
      line,
      message: `allowedPattern of ${name} admits ${dangerous.map((c) => JSON.stringify(c)).join(' ')}: a value could inject commands`,
    });
  }
  if (acceptsPassword(pattern)) {
    problems.push({
      rule: 'secret-parameter',
      line,
      message: `allowedPattern of ${name} accepts a 44-character SMTP password: narrow it so no credential can travel in a parameter`,
    });
  }
  const fallback = stringValue(member(value, 'default')?.value);
  if (fallback !== undefined && !new RegExp(pattern).test(fallback)) {
    problems.push({
      rule: 'allowed-pattern',
      line: member(value, 'default')?.keyLine ?? line,
      message: `the default of ${name} does not match its allowedPattern`,
    });
  }
}

/** Values the contract pattern rejects: a stricter pattern must reject them too. */
function contractProbes(name: DocumentParameterName): string[] {
  const valid = CONTRACT_SAMPLES[name];
  const bad = ["'", '"', '`', '$', '\\', ';', '&', '|', '<', '>', '(', ')', '{', '}', '*', '?', ' ', '\n', '#', '!'];
  const probes = bad.flatMap((c) => [
    valid + c,
    c + valid,
    valid + c + 'reboot',
    valid.slice(0, 10) + c + valid.slice(10),
  ]);
  probes.push(`${valid}\n${valid}`, '', 'x', valid.repeat(8));
  if (name === 'SecretArn') probes.push('arn:aws:s3:::bucket', valid.replace('123456789012', '12345678901'));
  else probes.push(valid.slice(0, 31), `${valid}abcdefghijklmnopqrstuvwxyz0123`, valid.replace(/-/g, '_'));
  return probes;
}

function checkSteps(
  entry: { keyLine: number; value: JsonNode } | undefined,
  rootLine: number,
  problems: Problem[],
): void {
  if (entry?.value.kind !== 'array' || entry.value.items.length === 0) {
    problems.push({
      rule: 'schema-version',
      line: entry?.keyLine ?? rootLine,
      message: 'mainSteps must list the steps',
    });
    return;
  }
  for (const step of entry.value.items) {
    const action = stringValue(member(step, 'action')?.value) ?? '';
    const stepName = stringValue(member(step, 'name')?.value) ?? '(unnamed)';
    const spec = STEP_KINDS[action];
    if (!spec) {
      problems.push({
        rule: 'unsupported-action',
        line: member(step, 'action')?.keyLine ?? step.line,
        message: `step ${stepName}: action ${action || '(none)'} cannot be checked; only aws:runShellScript and aws:runPowerShellScript`,
      });
      continue;
    }
    const condition = member(member(step, 'precondition')?.value, 'StringEquals')?.value;
    const pair = condition?.kind === 'array' ? condition.items.map(stringValue) : [];
    if (pair.length !== 2 || pair[0] !== 'platformType' || !spec.platforms.includes(pair[1] ?? '')) {
      problems.push({
        rule: 'platform-precondition',
        line: member(step, 'precondition')?.keyLine ?? step.line,
        message:
          `step ${stepName} needs "precondition": {"StringEquals": ["platformType", "${spec.platforms[0]}"]} ` +
          'so each host runs only its own platform step',
      });
    }
    const run = member(member(step, 'inputs')?.value, 'runCommand');
    const lines: ScriptLine[] = [];
    if (run?.value.kind === 'array') {
      for (const item of run.value.items) {
        const text = stringValue(item) ?? '';
        for (const part of text.split('\n')) lines.push({ text: part, fileLine: item.line });
      }
    }
    problems.push(...checkScript(spec.kind, lines, run?.keyLine ?? step.line));
  }
}
