/**
 * The manual consumers of the rotation `status` looks at: for the pending version while a rotation is unfinished,
 * else for AWSCURRENT (the audit of the last rotation). Decided with the function's own logic (manualProgress,
 * switchSteps, waitingDays), read with the function's own registry reader.
 */
import { ConsumerRegistry } from '../aws/consumer-registry';
import type { RotationConfig } from '../rotation/config';
import { manualProgress, switchSteps, waitingDays } from '../rotation/manual-wait';
import type { AwsClients } from './aws-clients';
import { regionOfArn } from './aws-clients';
import { awsCall } from './aws-errors';
import { rotationUnfinished, versionInView, type SecretState } from './secret-state';

/** The `manualConsumers` section of the status report (null when the function has no registry). */
export interface ManualStatus {
  table: string;
  /** The version the confirmations are for (null: no version yet). */
  versionId: string | null;
  /** When the function started waiting on them for this version (null: it did not wait). */
  waitingSince: string | null;
  waitingDays: number | null;
  alarmAfterDays: number;
  consumers: {
    name: string;
    owner: string | null;
    state: 'pending' | 'confirmed';
    confirmedBy: string | null;
    confirmedAt: string | null;
    note: string | null;
  }[];
}

/**
 * Reads the registry for the version status looks at.
 * @throws AwsCallError when a registry read fails; ConsumerRegistryError when the table is missing
 */
export async function readManualStatus(
  clients: AwsClients,
  state: SecretState,
  config: RotationConfig,
  now: number,
): Promise<ManualStatus | null> {
  const manual = config.manualConsumers;
  if (!manual) return null;
  const region = regionOfArn(state.rotationLambdaArn);
  const registry = new ConsumerRegistry(clients.dynamodb(region), manual.tableName);
  const versionId = versionInView(state) ?? null;
  return registryCall({ registry, ...(region ? { region } : {}) }, 'dynamodb:Query', async () => {
    const consumers = await registry.consumers(state.arn);
    const confirmations = versionId ? await registry.confirmations(state.arn, versionId) : [];
    const wait = versionId && rotationUnfinished(state) ? await registry.waitState(state.arn, versionId) : undefined;
    const progress = manualProgress(consumers, confirmations, versionId ?? '');
    return {
      table: manual.tableName,
      versionId,
      waitingSince: wait?.waitingSince ?? null,
      waitingDays: wait ? Math.floor(waitingDays(wait, now) * 10) / 10 : null,
      alarmAfterDays: manual.alarmAfterDays,
      consumers: progress.consumers.map((c) => {
        const confirmed = progress.confirmed.find((x) => x.consumer === c.name);
        return {
          name: c.name,
          owner: c.owner ?? null,
          state: confirmed ? 'confirmed' : 'pending',
          confirmedBy: confirmed?.confirmedBy ?? null,
          confirmedAt: confirmed?.confirmedAt ?? null,
          note: confirmed?.note ?? null,
        };
      }),
    };
  });
}

/**
 * Runs one registry call: our own refusals (unknown consumer, confirmed twice, missing table) pass through as they
 * are; AWS failures (AccessDenied…) become an {@link AwsCallError} naming the action, the table and the fix.
 */
export async function registryCall<T>(
  open: { readonly registry: { readonly tableName: string }; readonly region?: string },
  action: string,
  send: () => Promise<T>,
): Promise<T> {
  return awsCall(
    { action, resource: `table ${open.registry.tableName}`, ...(open.region ? { region: open.region } : {}) },
    send,
  );
}

/** What the wait means for `status`: waiting on people is a rotation in progress, overdue is attention. */
export function assessManual(
  manual: ManualStatus | null,
  secretArn: string,
): { waiting: boolean; problem?: string; next: string[] } {
  const pending = manual?.consumers.filter((c) => c.state === 'pending').map((c) => c.name) ?? [];
  if (!manual || manual.waitingSince === null || pending.length === 0) return { waiting: false, next: [] };
  const next = [
    `the rotation waits for manual consumers (${pending.join(', ')}); the old key stays active until they confirm:`,
    ...switchSteps(secretArn, pending),
  ];
  if ((manual.waitingDays ?? 0) >= manual.alarmAfterDays) {
    return {
      waiting: true,
      problem:
        `the rotation has waited ${manual.waitingDays ?? '?'} days for manual consumers (${pending.join(', ')}), ` +
        `longer than the ${manual.alarmAfterDays} days allowed`,
      next,
    };
  }
  return { waiting: true, next };
}

/**
 * The steps people still owe for the rotation `state` shows (status's reading, the same lines), else none. A
 * registry that cannot be read yields none: the generic advice still applies, and status names the problem.
 */
export async function manualSteps(
  clients: AwsClients,
  state: SecretState,
  config: RotationConfig,
  now: number,
): Promise<string[]> {
  try {
    return assessManual(await readManualStatus(clients, state, config, now), state.arn).next;
  } catch {
    return [];
  }
}
