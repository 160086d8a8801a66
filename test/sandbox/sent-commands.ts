import type { SandboxAccount } from '../../src/sandbox/account';

/**
 * The inputs of every call of one SDK command the sandbox account served, in order (from its call recorder), for
 * `toHaveLength` / `toContainEqual(expect.objectContaining(…))` assertions on a step's exact SDK calls.
 */
export function sent(account: SandboxAccount, command: { name: string }): unknown[] {
  const operation = command.name.replace(/Command$/, '');
  return account.recorder.calls.filter((c) => c.operation === operation).map((c) => c.input);
}
