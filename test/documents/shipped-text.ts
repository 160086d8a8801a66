import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOCUMENT_FILE } from '../../src/documents/assemble';
import { DOCUMENTS_DIR } from '../../src/documents/shipped';

/** The shipped document's text: the base every lint case changes in one place. */
export const SHIPPED = readFileSync(join(DOCUMENTS_DIR, DOCUMENT_FILE), 'utf8');

/** Replaces the first occurrence of `find` (after `after`, if given) and returns the text and that line. */
export function mutate(find: string, replace: string, after?: string): { text: string; line: number } {
  const start = after === undefined ? 0 : SHIPPED.indexOf(after);
  if (start < 0) throw new Error(`anchor not found: ${after}`);
  const at = SHIPPED.indexOf(find, start);
  if (at < 0) throw new Error(`text not found: ${find}`);
  return {
    text: SHIPPED.slice(0, at) + replace + SHIPPED.slice(at + find.length),
    line: SHIPPED.slice(0, at).split('\n').length,
  };
}

/** The line of the first occurrence of `find` (after `after`, if given) in the shipped text. */
export function lineOf(find: string, after?: string): number {
  return mutate(find, find, after).line;
}
