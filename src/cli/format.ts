/** Small text helpers shared by the operator commands: aligned columns and dates. */

/** Pads every column to its widest cell; returns one string per row (trailing spaces trimmed). */
export function table(rows: readonly (readonly string[])[], indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => (indent + row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')).trimEnd());
}

/** ISO date-time without milliseconds, or a dash. */
export function when(date: Date | string | undefined | null): string {
  if (date === undefined || date === null) return '-';
  const iso = typeof date === 'string' ? date : date.toISOString();
  return iso.replace(/\.\d{3}Z$/, 'Z');
}

/** "1 host" / "3 hosts". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
