import type { Fault } from '../src/sandbox/call-recorder';

/** Every way a fault-injection suite breaks one AWS call: the Lambda dies, or the call fails, before or after it. */
export const FAULT_VARIANTS: readonly Omit<Fault, 'atCall'>[] = [
  { when: 'before', kind: 'crash' },
  { when: 'after', kind: 'crash' },
  { when: 'before', kind: 'throw' },
  { when: 'after', kind: 'throw' },
];
