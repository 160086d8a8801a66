import { DOCUMENT_PARAMETERS, type DocumentParameterName } from '../core/document-contract';
import type { DocumentModel } from './document-model';
import { member, stringValue, type JsonNode } from './json-lines';
import { acceptsPassword, admittedDangerousCharacters, compileError, isAnchored } from './pattern-checks';
import type { Finding } from './rule';

/** The rules about the document's `parameters`: the push contract, patterns, interpolation, defaults. */

const CONTRACT_NAMES = Object.keys(DOCUMENT_PARAMETERS) as DocumentParameterName[];
const PASSWORD_NAME = /pass|secret|key|token|cred|pwd/i;

/** Valid contract values, with which the "at least as strict" probes are built. */
const CONTRACT_SAMPLES: Readonly<Record<DocumentParameterName, string>> = {
  SecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ses-smtp-AbCdEf',
  VersionId: 'a1b2c3d4-0000-4000-8000-123456789abc',
};

/** One declared parameter, with its pattern located. */
interface Declared {
  readonly name: string;
  readonly keyLine: number;
  readonly value: JsonNode;
  readonly isContract: boolean;
  readonly pattern?: string;
  readonly patternLine: number;
  /** The pattern is present and compiles: only then do the pattern rules look further. */
  readonly compiles: boolean;
}

function declared(model: DocumentModel): Declared[] {
  return [...model.declared].map(([name, { keyLine, value }]) => {
    const entry = member(value, 'allowedPattern');
    const pattern = stringValue(entry?.value);
    return {
      name,
      keyLine,
      value,
      isContract: (CONTRACT_NAMES as string[]).includes(name),
      pattern,
      patternLine: entry?.keyLine ?? keyLine,
      compiles: pattern !== undefined && compileError(pattern) === undefined,
    };
  });
}

export const contractParameter = {
  id: 'contract-parameter',
  text: 'the parameters SecretArn and VersionId the fleet push sends are declared, type String',
  check(model: DocumentModel): Finding[] {
    return CONTRACT_NAMES.filter(
      (name) => stringValue(member(model.declared.get(name)?.value, 'type')?.value) !== 'String',
    ).map((name) => ({
      line: model.declared.get(name)?.keyLine ?? model.parameters?.keyLine ?? 1,
      message: `parameter ${name} (type String) is required: the fleet push sends SecretArn and VersionId`,
    }));
  },
} as const;

export const contractPattern = {
  id: 'contract-pattern',
  text: "SecretArn and VersionId keep the contract's allowedPattern (identical, or at least as strict)",
  check(model: DocumentModel): Finding[] {
    return declared(model).flatMap((p) => {
      if (!p.isContract || !p.compiles) return [];
      const name = p.name as DocumentParameterName;
      const pattern = p.pattern as string;
      const contract = DOCUMENT_PARAMETERS[name].allowedPattern;
      if (pattern === contract) return [];
      const mine = new RegExp(pattern);
      const theirs = new RegExp(contract);
      const looser = contractProbes(name).find((probe) => !theirs.test(probe) && mine.test(probe));
      if (isAnchored(pattern) && looser === undefined && admittedDangerousCharacters(pattern).length === 0) return [];
      return [
        {
          line: p.patternLine,
          message:
            `allowedPattern of ${name} is looser than the contract's ${contract}` +
            (looser !== undefined ? ` (it accepts ${JSON.stringify(looser)})` : '') +
            ': keep the contract pattern, or narrow it',
        },
      ];
    });
  },
} as const;

export const allowedPattern = {
  id: 'allowed-pattern',
  text: 'every parameter has an allowedPattern that compiles, is anchored (^…$) and admits its default',
  check(model: DocumentModel): Finding[] {
    return declared(model).flatMap((p): Finding[] => {
      if (p.pattern === undefined) return [{ line: p.keyLine, message: `parameter ${p.name} has no allowedPattern` }];
      if (!p.compiles) return [{ line: p.patternLine, message: `allowedPattern of ${p.name} does not compile` }];
      if (p.isContract) return [];
      const findings: Finding[] = [];
      if (!isAnchored(p.pattern)) {
        findings.push({
          line: p.patternLine,
          message: `allowedPattern of ${p.name} is not anchored: SSM matches it anywhere in the value, so anchor every alternative with ^…$`,
        });
      }
      const fallback = member(p.value, 'default');
      const text = stringValue(fallback?.value);
      if (text !== undefined && !new RegExp(p.pattern).test(text)) {
        findings.push({
          line: fallback?.keyLine ?? p.patternLine,
          message: `the default of ${p.name} does not match its allowedPattern`,
        });
      }
      return findings;
    });
  },
} as const;

export const patternInjection = {
  id: 'pattern-injection',
  text: 'no allowedPattern admits quotes, $, `, \\, ;, |, &, <, >, braces, globs or white space',
  check(model: DocumentModel): Finding[] {
    return declared(model).flatMap((p) => {
      if (p.isContract || !p.compiles) return [];
      const dangerous = admittedDangerousCharacters(p.pattern as string);
      if (dangerous.length === 0) return [];
      const shown = dangerous.map((c) => JSON.stringify(c)).join(' ');
      return [
        { line: p.patternLine, message: `allowedPattern of ${p.name} admits ${shown}: a value could inject commands` },
      ];
    });
  },
} as const;

export const envVar = {
  id: 'env-var',
  text: 'every parameter uses interpolationType ENV_VAR',
  check(model: DocumentModel): Finding[] {
    return declared(model).flatMap((p) => {
      const entry = member(p.value, 'interpolationType');
      if (stringValue(entry?.value) === 'ENV_VAR') return [];
      return [
        {
          line: entry?.keyLine ?? p.keyLine,
          message: `parameter ${p.name} needs "interpolationType": "ENV_VAR" so scripts read $SSM_${p.name} instead of spliced text`,
        },
      ];
    });
  },
} as const;

export const secretParameter = {
  id: 'secret-parameter',
  text: 'no parameter could carry a password (by its name or a pattern loose enough for one)',
  check(model: DocumentModel): Finding[] {
    return declared(model).flatMap((p) => {
      if (p.isContract) return [];
      const findings: Finding[] = [];
      if (PASSWORD_NAME.test(p.name)) {
        findings.push({
          line: p.keyLine,
          message: `parameter ${p.name} is named like a secret: parameters are stored in plain view; hosts must read secrets from Secrets Manager`,
        });
      }
      if (p.compiles && acceptsPassword(p.pattern as string)) {
        findings.push({
          line: p.patternLine,
          message: `allowedPattern of ${p.name} accepts a 44-character SMTP password: narrow it so no credential can travel in a parameter`,
        });
      }
      return findings;
    });
  },
} as const;

/**
 * SSM treats a parameter without a default as required, and the fleet push sends only the contract's SecretArn and
 * VersionId: SendCommand would fail with InvalidParameters and the rotation stop there.
 */
export const parameterDefault = {
  id: 'parameter-default',
  text: 'every parameter but SecretArn and VersionId has a default (the push sends only those two)',
  check(model: DocumentModel): Finding[] {
    return declared(model).flatMap((p) => {
      if (p.isContract || member(p.value, 'default') !== undefined) return [];
      return [
        {
          line: p.keyLine,
          message:
            `parameter ${p.name} has no default, so SSM requires it; the fleet push sends only SecretArn and ` +
            'VersionId, so SendCommand would fail (InvalidParameters) and the rotation stop before any relay is ' +
            'updated: give it a default (or send it from a customized function)',
        },
      ];
    });
  },
} as const;

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
