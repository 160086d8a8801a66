import {
  allowedPattern,
  contractParameter,
  contractPattern,
  envVar,
  parameterDefault,
  patternInjection,
  secretParameter,
} from './parameter-rules';
import { scriptContract } from './contract-rules';
import type { DocumentRule } from './rule';
import { exitOnError, noEchoSecret, noHeredocSecret, noRebootExit, noSplice, noTrace } from './script-rules';
import { parse, platformPrecondition, schemaVersion, stepPlatform, unsupportedAction } from './step-rules';

/**
 * Every guarantee `lint-document` checks, one unit (id, text, check) per rule, in the order `--help` lists them.
 * Ids are stable: scripts may filter on them.
 */
export const RULES = [
  parse,
  schemaVersion,
  contractParameter,
  contractPattern,
  allowedPattern,
  patternInjection,
  envVar,
  secretParameter,
  parameterDefault,
  noSplice,
  noTrace,
  noEchoSecret,
  noHeredocSecret,
  exitOnError,
  noRebootExit,
  scriptContract,
  platformPrecondition,
  stepPlatform,
  unsupportedAction,
] as const satisfies readonly DocumentRule[];

/** A rule id. */
export type RuleId = (typeof RULES)[number]['id'];

/** One problem found in a document, at a 1-based line of the file. */
export interface Problem {
  readonly rule: RuleId;
  readonly line: number;
  readonly message: string;
}
