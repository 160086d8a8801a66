import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { packageRoot } from '../../src/core/package-root';

describe('packageRoot', () => {
  const work = mkdtempSync(join(tmpdir(), 'ses-smtp-root-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('finds the repository from its sources', () => {
    expect(packageRoot(resolve(__dirname, '..', '..', 'src', 'cli'))).toBe(resolve(__dirname, '..', '..'));
  });

  it('finds an installed copy from its compiled code, past the consuming project’s own package.json', () => {
    // Prepare: <app>/package.json (another name) and <app>/node_modules/ses-smtp-rotation/dist/src/cli
    const installed = join(work, 'app', 'node_modules', 'ses-smtp-rotation');
    mkdirSync(join(installed, 'dist', 'src', 'cli'), { recursive: true });
    writeFileSync(join(work, 'app', 'package.json'), JSON.stringify({ name: 'consumer' }));
    writeFileSync(join(installed, 'package.json'), JSON.stringify({ name: 'ses-smtp-rotation' }));
    // Act / Assess
    expect(packageRoot(join(installed, 'dist', 'src', 'cli'))).toBe(installed);
  });

  it('says to reinstall when no package.json of the package is above the code', () => {
    const lone = join(work, 'lone', 'dist');
    mkdirSync(lone, { recursive: true });
    expect(() => packageRoot(lone)).toThrow(/no package\.json of ses-smtp-rotation above .*: reinstall the package/);
  });
});
