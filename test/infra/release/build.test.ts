import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRelease, RELEASE_FILES } from '../../../infra/release/build';

describe('buildRelease', () => {
  const work = mkdtempSync(join(tmpdir(), 'ses-smtp-release-build-'));
  const lambdaDir = join(work, 'lambda');
  mkdirSync(lambdaDir);
  mkdirSync(join(lambdaDir, 'chunks'));
  writeFileSync(
    join(lambdaDir, 'index.mjs'),
    'export const handler = async () => (await import("./chunks/a.mjs")).a;\n',
  );
  writeFileSync(join(lambdaDir, 'chunks', 'a.mjs'), 'export const a = undefined;\n');
  const first = join(work, 'first');
  const second = join(work, 'second');
  const read = (dir: string) =>
    Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name))]));

  beforeAll(() => {
    buildRelease({ outDir: first, lambdaDir });
    buildRelease({ outDir: second, lambdaDir });
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('writes the template, the code, the SSM document and their checksums', () => {
    expect(readdirSync(first).sort()).toEqual(
      [RELEASE_FILES.checksums, RELEASE_FILES.code, RELEASE_FILES.template, 'ses-smtp-rotation-update.json'].sort(),
    );
  });

  it('gives byte-identical artifacts for the same inputs', () => {
    expect(read(second)).toEqual(read(first));
  });

  it('lists the SHA-256 of every other file in sha256sum format', () => {
    const files = read(first);
    const expected = Object.keys(files)
      .filter((name) => name !== RELEASE_FILES.checksums)
      .sort()
      .map((name) => `${createHash('sha256').update(files[name]!).digest('hex')}  ${name}\n`)
      .join('');
    expect(files[RELEASE_FILES.checksums]!.toString()).toBe(expected);
  });

  it('zips the entry and its chunks under their paths (Lambda unpacks chunks/ as a folder)', () => {
    expect(zipEntryNames(read(first)[RELEASE_FILES.code]!)).toEqual(['chunks/a.mjs', 'index.mjs']);
  });

  it('says to bundle first when the bundle is missing', () => {
    const empty = join(work, 'empty');
    mkdirSync(empty);
    expect(() => buildRelease({ outDir: join(work, 'never'), lambdaDir: empty })).toThrow(
      /holds no index\.mjs: run npm run bundle first/,
    );
  });
});

/** The names in a zip's local file headers, in order (stored entries: the size field is exact). */
function zipEntryNames(zip: Buffer): string[] {
  const names: string[] = [];
  for (let at = 0; at + 30 <= zip.length && zip.readUInt32LE(at) === 0x04034b50;) {
    const size = zip.readUInt32LE(at + 18);
    const nameLength = zip.readUInt16LE(at + 26);
    const extraLength = zip.readUInt16LE(at + 28);
    names.push(zip.subarray(at + 30, at + 30 + nameLength).toString('utf8'));
    at += 30 + nameLength + extraLength + size;
  }
  return names;
}
