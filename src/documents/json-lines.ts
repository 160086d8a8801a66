/**
 * A JSON parser that remembers the line of every value, so document problems can point at a line. YAML documents
 * are read into the same tree by yaml-lines.ts.
 */
import { JsonSyntaxError } from './errors';

/**
 * A parsed JSON (or YAML) value with the 1-based line it starts on. A string may record the file line of each of
 * its text lines (a YAML literal block spans several); otherwise all of them are on `line`.
 */
export type JsonNode =
  | { readonly kind: 'object'; readonly line: number; readonly entries: ReadonlyMap<string, JsonEntry> }
  | { readonly kind: 'array'; readonly line: number; readonly items: readonly JsonNode[] }
  | { readonly kind: 'string'; readonly line: number; readonly value: string; readonly lines?: readonly number[] }
  | { readonly kind: 'number'; readonly line: number; readonly value: number }
  | { readonly kind: 'boolean'; readonly line: number; readonly value: boolean }
  | { readonly kind: 'null'; readonly line: number };

/** An object member: the line of its key and its value. */
export interface JsonEntry {
  readonly keyLine: number;
  readonly value: JsonNode;
}

/** Parses `text` as JSON, keeping line numbers. Duplicate keys are an error (which one wins is parser-specific). */
export function parseJsonWithLines(text: string): JsonNode {
  let pos = 0;
  let line = 1;
  const skipSpace = (): void => {
    while (pos < text.length) {
      const c = text[pos];
      if (c === '\n') line++;
      else if (c !== ' ' && c !== '\t' && c !== '\r') return;
      pos++;
    }
  };
  const fail = (what: string): never => {
    throw new JsonSyntaxError(line, what);
  };
  const parseString = (): string => {
    const start = pos;
    pos++;
    while (pos < text.length && text[pos] !== '"') {
      if (text[pos] === '\n') fail('line break inside a string');
      pos += text[pos] === '\\' ? 2 : 1;
    }
    if (pos >= text.length) fail('unterminated string');
    pos++;
    try {
      return JSON.parse(text.slice(start, pos)) as string;
    } catch {
      return fail('invalid escape in a string');
    }
  };
  const parseValue = (): JsonNode => {
    skipSpace();
    const at = line;
    const c = text[pos];
    if (c === '{') {
      pos++;
      const entries = new Map<string, JsonEntry>();
      skipSpace();
      if (text[pos] === '}') {
        pos++;
        return { kind: 'object', line: at, entries };
      }
      for (;;) {
        skipSpace();
        if (text[pos] !== '"') fail('expected a quoted key');
        const keyLine = line;
        const key = parseString();
        if (entries.has(key)) fail(`duplicate key "${key.slice(0, 60)}"`);
        skipSpace();
        if (text[pos] !== ':') fail(`expected ":" after key "${key.slice(0, 60)}"`);
        pos++;
        entries.set(key, { keyLine, value: parseValue() });
        skipSpace();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') {
          pos++;
          return { kind: 'object', line: at, entries };
        }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      pos++;
      const items: JsonNode[] = [];
      skipSpace();
      if (text[pos] === ']') {
        pos++;
        return { kind: 'array', line: at, items };
      }
      for (;;) {
        items.push(parseValue());
        skipSpace();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === ']') {
          pos++;
          return { kind: 'array', line: at, items };
        }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') return { kind: 'string', line: at, value: parseString() };
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(pos, pos + 400));
    if (!literal) return fail(pos >= text.length ? 'unexpected end of the file' : 'unexpected character');
    pos += literal[0].length;
    if (literal[0] === 'true' || literal[0] === 'false')
      return { kind: 'boolean', line: at, value: literal[0] === 'true' };
    if (literal[0] === 'null') return { kind: 'null', line: at };
    return { kind: 'number', line: at, value: Number(literal[0]) };
  };
  if (text.charCodeAt(0) === 0xfeff) pos = 1;
  const root = parseValue();
  skipSpace();
  if (pos < text.length) fail('unexpected content after the JSON value');
  return root;
}

/** Whether text is a JSON document (an object) rather than YAML: SSM documents in JSON start with `{`. */
export function looksLikeJson(text: string): boolean {
  return text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('{');
}

/** The member `key` of an object node, if the node is an object that has it. */
export function member(node: JsonNode | undefined, key: string): JsonEntry | undefined {
  return node?.kind === 'object' ? node.entries.get(key) : undefined;
}

/** The string value of a node, if it is a string. */
export function stringValue(node: JsonNode | undefined): string | undefined {
  return node?.kind === 'string' ? node.value : undefined;
}
