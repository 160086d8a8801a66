import { Document, Scalar, stringify } from 'yaml';
import type { CommandDocument } from '../../src/documents/assemble';
import { SHIPPED } from './shipped-text';

/** The shipped document translated to YAML as a converter would: one list item per script line. */
export function shippedAsYamlList(): string {
  return stringify(JSON.parse(SHIPPED), { lineWidth: 0 });
}

/** The shipped document translated to YAML as a person would: each script as one literal block (`|`). */
export function shippedAsYamlBlocks(): string {
  const parsed = JSON.parse(SHIPPED) as CommandDocument;
  const doc = new Document(parsed);
  parsed.mainSteps.forEach((step, i) => {
    const block = new Scalar(`${step.inputs.runCommand.join('\n')}\n`);
    block.type = Scalar.BLOCK_LITERAL;
    doc.setIn(['mainSteps', i, 'inputs', 'runCommand'], doc.createNode([block]));
  });
  return doc.toString({ lineWidth: 0 });
}

/** The 1-based line of the first line of `text` whose trimmed content is `content`. */
export function lineWhere(text: string, content: string): number {
  const index = text.split('\n').findIndex((l) => l.trim() === content);
  if (index < 0) throw new Error(`no line ${content}`);
  return index + 1;
}
