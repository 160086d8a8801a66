import type { DocumentModel } from './document-model';

/** A finding of one rule: where, and what to do about it. */
export interface Finding {
  /** 1-based line of the file. */
  readonly line: number;
  readonly message: string;
}

/**
 * One lint rule as one unit (like a cdk-nag rule): its stable id (scripts may filter on it), the guarantee it
 * stands for (printed by `lint-document --help`), and the check that finds where a document breaks it.
 */
export interface DocumentRule {
  readonly id: string;
  readonly text: string;
  check(model: DocumentModel): Finding[];
}
