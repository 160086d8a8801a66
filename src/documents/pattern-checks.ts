/**
 * Checks on `allowedPattern` strings. SSM matches a pattern as an unanchored Go (RE2) regexp, so a pattern only
 * bounds the whole value when every alternative is anchored with `^…$`. The documents' fallback for old agents
 * splices values into script text, so a pattern must also admit no character a shell or PowerShell would act on.
 */

/** Characters that must never reach a script through a parameter value. */
const DANGEROUS = new Set([...' \t\n\r\v\f\'"`$\\;&|<>(){}*?[]!#~%']);

const SAFE_ESCAPE_CLASSES = new Set(['w', 'd']);
const SAFE_POSIX_CLASSES = new Set(['alnum', 'alpha', 'digit', 'lower', 'upper', 'xdigit']);

/** Why a pattern fails to compile, or undefined. JavaScript's syntax stands in for RE2's (close for these). */
export function compileError(pattern: string): string | undefined {
  try {
    new RegExp(pattern);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Whether every top-level alternative starts with `^` and ends with an unescaped `$`. */
export function isAnchored(pattern: string): boolean {
  return topLevelAlternatives(pattern).every((alt) => alt.startsWith('^') && endsWithAnchor(alt));
}

/**
 * The characters from {@link DANGEROUS} a pattern can admit (as far as a syntactic reading can tell: negated
 * classes, `.`, `\s`, `\S`, `\W`, `\D`, `\p` and unknown POSIX classes count as admitting all of them).
 */
export function admittedDangerousCharacters(pattern: string): string[] {
  const found = new Set<string>();
  const all = (): void => DANGEROUS.forEach((c) => found.add(c));
  const literal = (c: string): void => {
    if (DANGEROUS.has(c)) found.add(c);
  };
  const escape = (c: string): void => {
    if (SAFE_ESCAPE_CLASSES.has(c)) return;
    if ('sSWDpP'.includes(c)) return all();
    if (c === 'n' || c === 't' || c === 'r' || c === 'f' || c === 'v') return literal('\n');
    if (/[A-Za-z0-9]/.test(c)) return all(); // \x, \u, \b… : cannot tell, assume the worst.
    literal(c);
  };
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i] as string;
    if (c === '\\') {
      escape(pattern[i + 1] ?? '\\');
      i += 2;
    } else if (c === '[') {
      i = bracket(pattern, i, literal, escape, all);
    } else if (c === '.') {
      all();
      i++;
    } else if (c === '{') {
      // A quantifier {n}, {n,}, {n,m}; anything else is a literal brace.
      const q = /^\{\d+(,\d*)?\}/.exec(pattern.slice(i));
      if (q) i += q[0].length;
      else {
        literal('{');
        i++;
      }
    } else if (c === '(' && pattern[i + 1] === '?') {
      const group = /^\(\?(?::|[imsU]+(?::|\)))/.exec(pattern.slice(i));
      i += group ? group[0].length : 1;
    } else {
      if (!'^$()|?*+'.includes(c)) literal(c);
      i++;
    }
  }
  return [...found].sort();
}

function bracket(
  pattern: string,
  start: number,
  literal: (c: string) => void,
  escape: (c: string) => void,
  all: () => void,
): number {
  let i = start + 1;
  if (pattern[i] === '^') {
    all();
    i++;
  }
  let first = true;
  while (i < pattern.length && (pattern[i] !== ']' || first)) {
    first = false;
    const posix = /^\[:(\w+):\]/.exec(pattern.slice(i));
    if (posix) {
      if (!SAFE_POSIX_CLASSES.has(posix[1] as string)) all();
      i += posix[0].length;
      continue;
    }
    let from = pattern[i] as string;
    if (from === '\\') {
      const next = pattern[i + 1] ?? '\\';
      i += 2;
      if (/[A-Za-z]/.test(next)) {
        escape(next);
        continue;
      }
      from = next;
    } else {
      i++;
    }
    if (pattern[i] === '-' && pattern[i + 1] !== undefined && pattern[i + 1] !== ']') {
      let to = pattern[i + 1] as string;
      i += 2;
      if (to === '\\') {
        to = pattern[i] ?? '\\';
        i++;
      }
      for (let code = from.charCodeAt(0); code <= to.charCodeAt(0); code++) literal(String.fromCharCode(code));
    } else {
      literal(from);
    }
  }
  return i + 1;
}

/** Sample SMTP passwords: a pattern that accepts one of them could carry a password through a parameter. */
export const PASSWORD_PROBES: readonly string[] = [
  'BFz3n+Zr7hQ/8kXy2mWq9LcVt4bN6pRs1dGj0aHe5uKi',
  'BFz3nZr7hQ8kXy2mWq9LcVt4bN6pRs1dGj0aHe5uKiOw',
];

/** Whether a pattern (matched like SSM: unanchored) accepts a sample password. */
export function acceptsPassword(pattern: string): boolean {
  if (compileError(pattern) !== undefined) return false;
  const re = new RegExp(pattern);
  return PASSWORD_PROBES.some((p) => re.test(p));
}

function topLevelAlternatives(pattern: string): string[] {
  const alternatives: string[] = [];
  let depth = 0;
  let inBracket = false;
  let current = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\') {
      current += c + (pattern[i + 1] ?? '');
      i++;
      continue;
    }
    if (inBracket) {
      if (c === ']' && !current.endsWith('[') && !current.endsWith('[^')) inBracket = false;
    } else if (c === '[') inBracket = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      alternatives.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  alternatives.push(current);
  return alternatives;
}

function endsWithAnchor(alternative: string): boolean {
  if (!alternative.endsWith('$')) return false;
  let backslashes = 0;
  for (let i = alternative.length - 2; i >= 0 && alternative[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 0;
}
