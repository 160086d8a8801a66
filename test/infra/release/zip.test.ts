import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deterministicZip } from '../../../infra/release/zip';
import { describeWhenAvailable } from '../../ssm-documents/harness/peers';

const ENTRIES = [
  { name: 'index.js', data: Buffer.from('exports.handler = async () => "ok";\n') },
  { name: 'index.js.LEGAL.txt', data: Buffer.from('Bundled license information:\n') },
];

/** Why Info-ZIP's unzip cannot read the archive back here (scripts/install-test-peers.sh installs it), if it cannot. */
function unzipUnavailableReason(): string | undefined {
  try {
    execFileSync('unzip', ['-v'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'unzip is not installed: run scripts/install-test-peers.sh';
  }
}

describe('deterministicZip', () => {
  it('gives the same bytes whatever the order of the entries', () => {
    expect(deterministicZip(ENTRIES).equals(deterministicZip([...ENTRIES].reverse()))).toBe(true);
  });

  it('changes when a byte of a file changes', () => {
    const changed = [{ ...ENTRIES[0]!, data: Buffer.from('exports.handler = async () => "OK";\n') }, ENTRIES[1]!];
    expect(deterministicZip(changed).equals(deterministicZip(ENTRIES))).toBe(false);
  });

  it.each(['/etc/passwd', '../up.js', 'a/../../b', 'dir\\file'])('refuses the unsafe entry name %s', (name) => {
    expect(() => deterministicZip([{ name, data: Buffer.from('x') }])).toThrow(/must be a relative path/);
  });

  it('refuses the same name twice', () => {
    expect(() => deterministicZip([ENTRIES[0]!, ENTRIES[0]!])).toThrow('zip entry "index.js" is twice');
  });
});

// The read-back needs an independent zip reader: under CI a missing unzip fails, elsewhere it is skipped loudly.
describeWhenAvailable('unzip', unzipUnavailableReason(), 'deterministicZip read back by unzip', () => {
  it('is read back by unzip with the files intact, 1980 dates and mode 0644', () => {
    // Prepare
    const work = mkdtempSync(join(tmpdir(), 'ses-smtp-zip-'));
    const archive = join(work, 'lambda.zip');
    writeFileSync(archive, deterministicZip(ENTRIES));
    try {
      // Act
      execFileSync('unzip', ['-tq', archive]);
      execFileSync('unzip', ['-q', archive, '-d', join(work, 'out')]);
      const listing = execFileSync('unzip', ['-Z', archive], { encoding: 'utf8' });
      // Assess
      for (const entry of ENTRIES) expect(readFileSync(join(work, 'out', entry.name))).toEqual(entry.data);
      expect(listing).toMatch(/^-rw-r--r--.* 80-Jan-01 00:00 index\.js$/m);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
