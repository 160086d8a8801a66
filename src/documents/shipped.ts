import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assembleDocument,
  DOCUMENT_FILE,
  LINUX_SCRIPT_PARTS,
  linuxScript,
  STEP_SCRIPTS,
  type CommandDocument,
} from './assemble';
import { documentsDirectory } from '../core/package-root';

/** The package's ssm-documents/ folder (from src/ or dist/src/ alike). */
export const DOCUMENTS_DIR = documentsDirectory();

/** Reads the step scripts from ssm-documents/scripts/ (the Linux one assembled from its parts). */
export function readShippedScripts(dir = DOCUMENTS_DIR): { linux: string; iis: string } {
  return {
    linux: linuxScript(LINUX_SCRIPT_PARTS.map((part) => readFileSync(join(dir, part), 'utf8'))),
    iis: readFileSync(join(dir, STEP_SCRIPTS.updateIisSmtp), 'utf8'),
  };
}

/** Reads and parses the committed document (ssm-documents/ses-smtp-rotation-update.json). */
export function readShippedDocument(dir = DOCUMENTS_DIR): CommandDocument {
  return JSON.parse(readFileSync(join(dir, DOCUMENT_FILE), 'utf8')) as CommandDocument;
}

/**
 * Maintainer tool: regenerates the committed document from the scripts, formatted like the rest of the repository.
 * Run `npx tsx src/documents/shipped.ts` after editing a script; a test fails until you do.
 */
export async function writeShippedDocument(dir = DOCUMENTS_DIR): Promise<string> {
  // prettier is a development dependency: loaded only when a maintainer regenerates the document.
  const prettier = await import('prettier');
  const file = join(dir, DOCUMENT_FILE);
  const options = (await prettier.resolveConfig(file)) ?? {};
  const text = await prettier.format(JSON.stringify(assembleDocument(readShippedScripts(dir))), {
    ...options,
    parser: 'json',
  });
  writeFileSync(file, text);
  return file;
}

if (require.main === module) {
  void writeShippedDocument().then((file) => process.stdout.write(`wrote ${file}\n`));
}
