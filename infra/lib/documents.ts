import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { documentsDirectory } from '../../src/core/package-root';
import { DOCUMENT_PARAMETERS, type DocumentParameterName } from '../../src/core/document-contract';
import { propError } from './validate';

/** The package's SSM documents (the repository's, or those shipped in the npm package). */
export const DEFAULT_DOCUMENTS_DIRECTORY = documentsDirectory();

/** One SSM Command document read from disk. */
export interface DocumentFile {
  /** File name, e.g. `ses-smtp-credential-update.json`. */
  readonly file: string;
  /** Parsed JSON content (schema 2.2). */
  readonly content: Record<string, unknown>;
}

/** A parameter declaration inside a document. */
interface DeclaredParameter {
  readonly allowedPattern?: unknown;
}

/**
 * Reads every `*.json` file of a directory as an SSM Command document. Fails, naming the file, on anything that
 * is not a Command document, so a typo never deploys half a fleet update.
 */
export function loadDocuments(directory: string): DocumentFile[] {
  if (!existsSync(directory)) {
    throw propError('documentsDirectory', `is ${directory}, which does not exist: point it at the SSM documents`);
  }
  const files = readdirSync(directory)
    .filter((name) => name.endsWith('.json'))
    .sort();
  if (files.length === 0) throw propError('documentsDirectory', `is ${directory}, which holds no *.json document`);
  return files.map((file) => ({ file, content: parseDocument(join(directory, file)) }));
}

function parseDocument(path: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw propError(
      'documentsDirectory',
      `holds ${basename(path)}, which is not valid JSON: ${(error as Error).message}`,
    );
  }
  const doc = json as Record<string, unknown>;
  if (typeof json !== 'object' || json === null || typeof doc.schemaVersion !== 'string') {
    throw propError('documentsDirectory', `holds ${basename(path)}, which has no schemaVersion: not an SSM document`);
  }
  if (!Array.isArray(doc.mainSteps) || doc.mainSteps.length === 0) {
    throw propError('documentsDirectory', `holds ${basename(path)}, which has no mainSteps: not a Command document`);
  }
  return doc;
}

/**
 * The document the fleet push runs: the named file, else the only document. It must declare the parameters of
 * the push contract (src/core/document-contract.ts), each with an `allowedPattern`.
 * @returns the document and, per parameter whose pattern differs from the contract, a warning text.
 */
export function selectFleetDocument(
  documents: readonly DocumentFile[],
  fileName?: string,
): { document: DocumentFile; warnings: string[] } {
  const names = documents.map((d) => d.file).join(', ');
  let document: DocumentFile | undefined;
  if (fileName !== undefined) {
    document = documents.find((d) => d.file === fileName);
    if (!document) throw propError('fleetDocument', `is ${fileName}, which is not among the documents (${names})`);
  } else if (documents.length === 1) {
    document = documents[0];
  } else {
    throw propError('fleetDocument', `is not set and there are several documents (${names}): name the one to run`);
  }
  const declared = (document!.content.parameters ?? {}) as Record<string, DeclaredParameter>;
  const warnings: string[] = [];
  for (const name of Object.keys(DOCUMENT_PARAMETERS) as DocumentParameterName[]) {
    const parameter = declared[name];
    if (parameter === undefined || typeof parameter.allowedPattern !== 'string') {
      throw propError(
        'fleetDocument',
        `is ${document!.file}, which does not declare the parameter ${name} with an allowedPattern: the push passes it`,
      );
    }
    if (parameter.allowedPattern !== DOCUMENT_PARAMETERS[name].allowedPattern) {
      warnings.push(
        `${document!.file}: parameter ${name} has allowedPattern ${parameter.allowedPattern}, the push checks ` +
          `${DOCUMENT_PARAMETERS[name].allowedPattern}`,
      );
    }
  }
  return { document: document!, warnings };
}
