import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { DOCUMENT_FILE } from '../../../src/documents/assemble';
import { DOCUMENTS_DIR } from '../../../src/documents/shipped';
import { shippedAsYamlBlocks } from '../../documents/yaml-translation';
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

  it('prints the problems as one JSON document with --json', async () => {
    const file = write('custom.json', SHIPPED.replace('"schemaVersion": "2.2"', '"schemaVersion": "2.0"'));
    const io = fakeIo();
    expect(await main(['lint-document', file, '--json'], io)).toBe(1);
    expect(JSON.parse(io.out())).toEqual({
      ok: false,
      error: null,
      files: [
        {
          file,
          ok: false,
          error: null,
          problems: [{ rule: 'schema-version', line: 2, message: expect.stringContaining('"2.2"') }],
        },
      ],
    });
  });

  it('accepts a YAML document and reports lines of the YAML file', async () => {
    // Prepare
    const clean = write('clean.yaml', shippedAsYamlBlocks());
    const broken = write('broken.yml', shippedAsYamlBlocks().replace(/^(\s*)set \+x$/m, '$1set -x'));
    const line =
      shippedAsYamlBlocks()
        .split('\n')
        .findIndex((l) => l.trim() === 'set +x') + 1;
    const io = fakeIo();

    // Act
    const code = await main(['lint-document', clean, broken], io);

    // Assess
    expect(code).toBe(1);
    expect(io.out()).toBe(
      `${clean}: ok\n${broken}:${line}: no-trace: shell tracing prints every expanded value, secrets too\n`,
    );
  });

  it('reads a .json file as JSON even when it holds YAML, as SSM would with DocumentFormat JSON', async () => {
    const io = fakeIo();
    expect(await main(['lint-document', write('doc.json', shippedAsYamlBlocks()), '--json'], io)).toBe(1);
    expect(JSON.parse(io.out()).files[0].problems).toEqual([
      { rule: 'parse', line: 1, message: expect.stringContaining('not valid JSON') },
    ]);
  });

  it('prints one JSON document for a YAML syntax error, with its line', async () => {
    const io = fakeIo();
    const file = write('doc.yaml', 'schemaVersion: "2.2"\nparameters:\n  A: 1\n  A: 2\n');
    expect(await main(['lint-document', file, '--json'], io)).toBe(1);
    expect(JSON.parse(io.out()).files).toEqual([
      { file, ok: false, error: null, problems: [{ rule: 'parse', line: 4, message: expect.any(String) }] },
    ]);
  });

  it('reports a missing file, exit 1, still checking the others and printing one JSON document', async () => {
    // Prepare
    const missing = join(dir, 'nope.json');
    const clean = write('clean.json', SHIPPED);
    const io = fakeIo();

    // Act
    const code = await main(['lint-document', missing, clean, '--json'], io);

    // Assess
    expect(code).toBe(1);
    expect(JSON.parse(io.out())).toEqual({
      ok: false,
      error: null,
      files: [
        { file: missing, ok: false, error: expect.stringContaining('ENOENT'), problems: [] },
        { file: clean, ok: true, error: null, problems: [] },
      ],
    });
  });

  it('reports an unreadable file on stderr and exits 1 without --json', async () => {
    const io = fakeIo();
    expect(await main(['lint-document', dir], io)).toBe(1);
    expect(io.err()).toContain(`error: ${dir}: cannot read the file (EISDIR)`);
    expect(io.err()).toContain('1 file not checked');
    expect(io.out()).toBe('');
  });

  it.each([
    [['--json'], 'give the document file to check'],
    [['x.json', '--json', '--bogus'], "Unknown option '--bogus'"],
  ])('prints a usage error %j as one JSON document, exit 2', async (args, message) => {
    const io = fakeIo();
    expect(await main(['lint-document', ...args], io)).toBe(2);
    expect(JSON.parse(io.out())).toEqual({
      ok: null,
      error: { kind: 'usage', message: expect.stringContaining(message) },
      files: null,
    });
    expect(io.err()).toContain(message);
  });

  it('exits 2 without a file or with an unknown option', async () => {
    const none = fakeIo();
    expect(await main(['lint-document'], none)).toBe(2);
    expect(none.err()).toContain('give the document file to check');
    expect(none.out()).toBe('');

    const bogus = fakeIo();
    expect(await main(['lint-document', 'x.json', '--bogus'], bogus)).toBe(2);
    expect(bogus.err()).toContain("Unknown option '--bogus'");
  });

  it('lists the rules in its help', async () => {
    const io = fakeIo();
    expect(await main(['lint-document', '--help'], io)).toBe(0);
    expect(io.out()).toContain('no-echo-secret');
    expect(io.out()).toContain('platform-precondition');
    expect(io.out()).toContain('no-heredoc-secret');
    expect(io.out()).toContain('YAML');
  });
});
