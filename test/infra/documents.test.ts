import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOCUMENT_PARAMETERS } from '../../src/core/document-contract';
import { DEFAULT_DOCUMENTS_DIRECTORY, loadDocuments, selectFleetDocument } from '../../infra/lib/documents';

function directoryWith(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ssm-docs-'));
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

function document(parameters: Record<string, unknown> = contractParameters()): object {
  return { schemaVersion: '2.2', parameters, mainSteps: [{ action: 'aws:runShellScript', name: 'x', inputs: {} }] };
}

function contractParameters(): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(DOCUMENT_PARAMETERS).map(([name, p]) => [
      name,
      { type: 'String', allowedPattern: p.allowedPattern },
    ]),
  );
}

describe('SSM documents loader', () => {
  it('loads the repository document and selects it as the fleet document', () => {
    // Prepare / Act
    const documents = loadDocuments(DEFAULT_DOCUMENTS_DIRECTORY);
    const { document: fleet, warnings } = selectFleetDocument(documents);

    // Assess
    expect(documents.length).toBeGreaterThanOrEqual(1);
    expect(fleet.content.schemaVersion).toBe('2.2');
    expect(warnings).toEqual([]);
  });

  it('ignores files that are not JSON and names a file that is not a document', () => {
    // Prepare
    const dir = directoryWith({ 'a.json': document(), 'README.md': '# docs', 'b.json': { hello: 1 } });

    // Act / Assess
    expect(() => loadDocuments(dir)).toThrow(/b.json, which has no schemaVersion/);
  });

  it('names a file that is not valid JSON', () => {
    // Prepare
    const dir = directoryWith({ 'broken.json': '{ "schemaVersion": ' });

    // Act / Assess
    expect(() => loadDocuments(dir)).toThrow(/broken.json, which is not valid JSON/);
  });

  it('refuses a missing or empty directory', () => {
    // Prepare / Act / Assess
    expect(() => loadDocuments('/nonexistent/ssm-documents')).toThrow(/does not exist/);
    expect(() => loadDocuments(directoryWith({}))).toThrow(/holds no \*\.json document/);
  });

  it('asks which document to run when there are several', () => {
    // Prepare
    const documents = loadDocuments(directoryWith({ 'a.json': document(), 'b.json': document() }));

    // Act / Assess
    expect(() => selectFleetDocument(documents)).toThrow(/several documents \(a.json, b.json\)/);
    expect(selectFleetDocument(documents, 'b.json').document.file).toBe('b.json');
    expect(() => selectFleetDocument(documents, 'c.json')).toThrow(/c.json, which is not among/);
  });

  it('refuses a fleet document without the contract parameters', () => {
    // Prepare
    const documents = loadDocuments(directoryWith({ 'a.json': document({ SecretArn: { type: 'String' } }) }));

    // Act / Assess
    expect(() => selectFleetDocument(documents)).toThrow(
      /does not declare the parameter SecretArn with an allowedPattern/,
    );
  });

  it('warns when a parameter pattern differs from the contract', () => {
    // Prepare
    const parameters = { ...contractParameters(), VersionId: { type: 'String', allowedPattern: '.*' } };
    const documents = loadDocuments(directoryWith({ 'a.json': document(parameters) }));

    // Act
    const { warnings } = selectFleetDocument(documents);

    // Assess
    expect(warnings).toEqual([expect.stringMatching(/a.json: parameter VersionId has allowedPattern \.\*/)]);
  });
});
