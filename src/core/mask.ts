/**
 * Masks an access key id for logs and messages: `AKIAIOSFODNN7EXAMPLE` → `AKIA…MPLE`.
 * Key ids are not secret, but printing them whole helps nobody and a bank's log policy usually forbids it.
 */
export function maskKeyId(accessKeyId: string): string {
  if (accessKeyId.length < 12) return '****';
  return `${accessKeyId.slice(0, 4)}…${accessKeyId.slice(-4)}`;
}
