import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { DOCUMENT_FILE } from '../../../src/documents/assemble';
import { DOCUMENTS_DIR } from '../../../src/documents/shipped';
import { fakeIo } from '../fake-io';

const SHIPPED_PATH = join(DOCUMENTS_DIR, DOCUMENT_FILE);
const SHIPPED = readFileSync(SHIPPED_PATH, 'utf8');

describe('lint-document', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lint-document-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function write(name: string, text: string): string {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  }

  it('exits 0 and says ok for the shipped document', async () => {
    const io = fakeIo();
    expect(await main(['lint-document', SHIPPED_PATH], io)).toBe(0);
    expect(io.out()).toBe(`${SHIPPED_PATH}: ok\n`);
    expect(io.err()).toBe('');
  });

  it('exits 1 and prints file:line: rule: message for each problem', async () => {
    // Prepare
    const lines = SHIPPED.split('\n');
    const traceLine = lines.findIndex((l) => l.trim() === '"set +x",') + 1;
    const file = write('custom.json', SHIPPED.replace('"set +x",', '"set -x",'));
    const io = fakeIo();

    // Act
    const code = await main(['lint-document', file], io);

    // Assess
    expect(traceLine).toBeGreaterThan(0);
    expect(code).toBe(1);
    expect(io.out()).toBe(`${file}:${traceLine}: no-trace: shell tracing prints every expanded value, secrets too\n`);
    expect(io.err()).toBe('1 problem found\n');
  });

  it('prints the problems as JSON with --json', async () => {
    const file = write('custom.json', SHIPPED.replace('"schemaVersion": "2.2"', '"schemaVersion": "2.0"'));
    const io = fakeIo();
    expect(await main(['lint-document', file, '--json'], io)).toBe(1);
    expect(JSON.parse(io.out())).toEqual({
      files: [{ file, problems: [{ rule: 'schema-version', line: 2, message: expect.stringContaining('"2.2"') }] }],
    });
  });

  it('exits 2 without a file, for an unreadable file, and for YAML', async () => {
    const none = fakeIo();
    expect(await main(['lint-document'], none)).toBe(2);
    expect(none.err()).toContain('give the document file to check');

    const missing = fakeIo();
    expect(await main(['lint-document', join(dir, 'nope.json')], missing)).toBe(2);
    expect(missing.err()).toContain('ENOENT');

    const yaml = fakeIo();
    expect(await main(['lint-document', write('doc.yaml', 'schemaVersion: "2.2"\n')], yaml)).toBe(2);
    expect(yaml.err()).toContain('reads JSON only');
  });

  it('lists the rules in its help', async () => {
    const io = fakeIo();
    expect(await main(['lint-document', '--help'], io)).toBe(0);
    expect(io.out()).toContain('no-echo-secret');
    expect(io.out()).toContain('platform-precondition');
  });
});
