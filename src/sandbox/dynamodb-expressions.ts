import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** One DynamoDB item as the low-level API carries it. */
export type Item = Record<string, AttributeValue>;

/** The names and values an expression refers to (`#name`, `:value`). */
export interface ExpressionContext {
  readonly names?: Record<string, string>;
  readonly values?: Record<string, AttributeValue>;
}

/**
 * Evaluates the subset of DynamoDB's condition expression language the project writes: clauses joined by `AND`,
 * each `attribute_exists(path)`, `attribute_not_exists(path)`, `path = :v`, `path <> :v` or
 * `begins_with(path, :v)`. Anything else throws, so a fake never silently accepts an expression AWS would read
 * differently.
 */
export function evaluateCondition(expression: string, item: Item | undefined, context: ExpressionContext): boolean {
  return splitAnd(expression).every((clause) => evaluateClause(clause, item, context));
}

/** The attribute a `SET a = :v, b = :w` update names, with its new value. Only SET is supported. */
export function parseSetUpdate(expression: string, context: ExpressionContext): [string, AttributeValue][] {
  const match = /^\s*SET\s+(.+)$/i.exec(expression);
  if (!match?.[1]) throw new Error(`the DynamoDB sandbox supports only "SET a = :v, ..." updates: ${expression}`);
  return match[1].split(',').map((assignment) => {
    const [left, right] = assignment.split('=').map((s) => s.trim());
    if (!left || !right) throw new Error(`malformed SET clause: ${assignment}`);
    return [name(left, context), value(right, context)];
  });
}

function splitAnd(expression: string): string[] {
  return expression
    .split(/\s+AND\s+/i)
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
}

function evaluateClause(clause: string, item: Item | undefined, context: ExpressionContext): boolean {
  let m = /^attribute_exists\(\s*([#\w]+)\s*\)$/.exec(clause);
  if (m?.[1]) return item?.[name(m[1], context)] !== undefined;
  m = /^attribute_not_exists\(\s*([#\w]+)\s*\)$/.exec(clause);
  if (m?.[1]) return item?.[name(m[1], context)] === undefined;
  m = /^begins_with\(\s*([#\w]+)\s*,\s*(:\w+)\s*\)$/.exec(clause);
  if (m?.[1] && m[2]) {
    const actual = item?.[name(m[1], context)]?.S;
    const prefix = value(m[2], context).S;
    return actual !== undefined && prefix !== undefined && actual.startsWith(prefix);
  }
  m = /^([#\w]+)\s*(=|<>)\s*(:\w+)$/.exec(clause);
  if (m?.[1] && m[2] && m[3]) {
    const actual = item?.[name(m[1], context)];
    const equal = actual !== undefined && sameValue(actual, value(m[3], context));
    // DynamoDB: a comparison with a missing attribute is false for both = and <>.
    return actual !== undefined && (m[2] === '=' ? equal : !equal);
  }
  throw new Error(`the DynamoDB sandbox does not understand the condition "${clause}"`);
}

function name(token: string, context: ExpressionContext): string {
  if (!token.startsWith('#')) return token;
  const resolved = context.names?.[token];
  if (resolved === undefined) {
    throw new Error(`ValidationException: An expression attribute name used in the document path is not defined`);
  }
  return resolved;
}

function value(token: string, context: ExpressionContext): AttributeValue {
  const resolved = context.values?.[token];
  if (resolved === undefined) {
    throw new Error(`ValidationException: An expression attribute value used in expression is not defined: ${token}`);
  }
  return resolved;
}

function sameValue(a: AttributeValue, b: AttributeValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
