import type { CommandDocument } from '../../../src/documents/assemble';

/**
 * Defence in depth: SSM rejects a value that fails a parameter's allowedPattern (the document tests prove each
 * pattern refuses quotes, $, `, ;, white space). These helpers check the script's own validation behind it: the
 * document with every pattern relaxed, and values that would run a command if the script ever evaluated them. A
 * single quote is left out: in the fallback line for old agents only the pattern keeps it out, by design.
 */
export function relaxedDocument(document: CommandDocument): CommandDocument {
  const parameters = Object.fromEntries(
    Object.entries(document.parameters).map(([name, spec]) => [name, { ...spec, allowedPattern: '^[\\s\\S]*$' }]),
  );
  return { ...document, parameters };
}

/** [parameter, value, file the value would create] for every parameter the Linux step reads. */
export function injectionScenarios(): [string, string, string][] {
  const names = [
    'SecretArn',
    'VersionId',
    'Mta',
    'PostfixConfigDir',
    'EximConfig',
    'SendmailConfig',
    'VerifyRelayAuth',
  ];
  return names.map((name) => {
    const marker = `/tmp/ses-smtp-rotation-injected-${name}-${process.pid}`;
    return [name, `/x$(touch ${marker})\`touch ${marker}\`;touch ${marker}\ntouch ${marker}`, marker];
  });
}
