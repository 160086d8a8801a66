/** The files of a Lambda bundle written by scripts/bundle.mjs (shared by the bench and the bundle tests). */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The bundle's files (entry and chunks) and the ones a cold start loads: the entry and its static imports. */
export function bundleFiles(outdir: string): { all: string[]; atColdStart: string[] } {
  const all = readdirSync(outdir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.mjs'))
    .map((f) => join(outdir, f));
  const atColdStart = new Set<string>();
  const visit = (file: string): void => {
    if (atColdStart.has(file)) return;
    atColdStart.add(file);
    // Static imports only (`from"./x.mjs"`); `import("./x.mjs")` is what loads on first use.
    for (const m of readFileSync(file, 'utf8').matchAll(/from\s*"(\.[^"]+)"/g)) visit(join(dirname(file), m[1]!));
  };
  visit(join(outdir, 'index.mjs'));
  return { all, atColdStart: [...atColdStart] };
}
