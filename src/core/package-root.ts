import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PACKAGE_NAME = 'ses-smtp-rotation';

/**
 * The folder holding this package's package.json, found by walking up from `from`: the same code runs from
 * `src/` (tsx, ts-jest), from `dist/src/` (the repository's build) and from `node_modules/ses-smtp-rotation/dist/src/`
 * (an installed package), at different depths. Files shipped beside the code (package.json, ssm-documents/,
 * dist/lambda/) are found relative to it.
 * @throws Error when no package.json of this package is above `from` (a broken install)
 */
export function packageRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME)
      return dir;
    if (dirname(dir) === dir) {
      throw new Error(`no package.json of ${PACKAGE_NAME} above ${from}: reinstall the package`);
    }
  }
}

/** The package's SSM documents folder (`ssm-documents/`: the repository's, or the one shipped in the npm package). */
export function documentsDirectory(): string {
  return join(packageRoot(), 'ssm-documents');
}
