/**
 * Thin reads over SSM Run Command for the fleet push: one command's counters, the commands sent for a version,
 * the hosts in one bad state, and a short failure hint. Each function is a fixed, small number of calls except
 * the bad-state listing, which pages only through hosts that are actually in that state.
 */
import {
  GetCommandInvocationCommand,
  ListCommandsCommand,
  paginateListCommandInvocations,
  paginateListCommands,
  type Command,
  type CommandFilter,
  type ListCommandInvocationsCommandInput,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { RESULT_MARKER } from '../core/document-contract';
import type { CommandSnapshot } from './command-status';
import type { HostsInState } from '../rotation/fleet-errors';

/** SSM's page size limit for both list operations. */
export const PAGE_SIZE = 50;

/** Pages read per bad state before giving up on counting (hosts beyond are reported as "at least N"). */
export const MAX_PAGES_PER_STATE = 20;

/** Reads the counters of one command with a single `ListCommands` call. */
export async function readCommand(ssm: SSMClient, commandId: string): Promise<CommandSnapshot> {
  const out = await ssm.send(new ListCommandsCommand({ CommandId: commandId }));
  const command = out.Commands?.find((c) => c.CommandId === commandId);
  // Not listed yet right after SendCommand: the same as a command whose targets are still being resolved.
  return command ? toSnapshot(command) : { ...emptySnapshot(commandId), status: 'Pending' };
}

/** The O(1) counters of a listed command. */
export function toSnapshot(command: Command): CommandSnapshot {
  return {
    commandId: command.CommandId ?? '',
    status: command.Status ?? '',
    statusDetails: command.StatusDetails ?? '',
    targetCount: command.TargetCount ?? 0,
    completedCount: command.CompletedCount ?? 0,
    errorCount: command.ErrorCount ?? 0,
    deliveryTimedOutCount: command.DeliveryTimedOutCount ?? 0,
  };
}

function emptySnapshot(commandId: string): CommandSnapshot {
  return {
    commandId,
    status: '',
    statusDetails: '',
    targetCount: 0,
    completedCount: 0,
    errorCount: 0,
    deliveryTimedOutCount: 0,
  };
}

/**
 * The newest command of `documentName` sent after `invokedAfter` whose comment is `comment` and, when `secretArn` /
 * `versionId` are given, whose SecretArn / VersionId parameters name them (ListCommands cannot filter by comment).
 * Pages through the document's recent commands: a handful per rotation schedule in practice. Used by the fleet to
 * resume and by the CLI to report.
 */
export async function findNewestCommand(
  ssm: SSMClient,
  query: { documentName: string; comment: string; invokedAfter: Date; secretArn?: string; versionId?: string },
): Promise<Command | undefined> {
  let newest: Command | undefined;
  const filters: CommandFilter[] = [
    { key: 'DocumentName', value: query.documentName },
    { key: 'InvokedAfter', value: query.invokedAfter.toISOString().replace(/\.\d{3}Z$/, 'Z') },
  ];
  for await (const out of paginateListCommands({ client: ssm, pageSize: PAGE_SIZE }, { Filters: filters })) {
    for (const c of out.Commands ?? []) {
      if (c.Comment !== query.comment) continue;
      const arn = c.Parameters?.SecretArn?.[0];
      if (query.secretArn !== undefined && arn !== undefined && arn !== query.secretArn) continue;
      const version = c.Parameters?.VersionId?.[0];
      if (query.versionId !== undefined && version !== undefined && version !== query.versionId) continue;
      if (newest === undefined || (c.RequestedDateTime?.getTime() ?? 0) >= (newest.RequestedDateTime?.getTime() ?? 0)) {
        newest = c;
      }
    }
  }
  return newest;
}

/**
 * The hosts of a command in one invocation state, via `ListCommandInvocations` filtered by that state: nothing on
 * the happy path, so one call. Keeps the first page of ids for messages and counts further pages up to a cap.
 */
export async function listHostsInState(ssm: SSMClient, commandId: string, state: string): Promise<HostsInState> {
  const hostIds: string[] = [];
  let total = 0;
  let pages = 0;
  let truncated = false;
  const input: ListCommandInvocationsCommandInput = {
    CommandId: commandId,
    Filters: [{ key: 'Status', value: state }],
  };
  for await (const out of paginateListCommandInvocations({ client: ssm, pageSize: PAGE_SIZE }, input)) {
    pages += 1;
    for (const invocation of out.CommandInvocations ?? []) {
      total += 1;
      if (hostIds.length < PAGE_SIZE && invocation.InstanceId) hostIds.push(invocation.InstanceId);
    }
    // The cap keeps a fleet-wide failure from costing the Lambda its remaining time in listings.
    if (out.NextToken !== undefined && pages >= MAX_PAGES_PER_STATE) {
      truncated = true;
      break;
    }
  }
  return { state, hostIds, total, truncated };
}

/** Longest hint copied from a host's output. */
const HINT_MAX = 200;
/** Long base64-ish runs (SMTP passwords are 44, secret keys 40 characters) never reach a message. */
const SECRET_LOOKING = /[A-Za-z0-9+/=]{32,}/g;

/**
 * A short, secret-free hint for one failing host: its exit code and only the document's own result line
 * (`ses-smtp-rotation-result …`), never the rest of its output. Undefined when SSM has nothing useful.
 */
export async function failureHint(ssm: SSMClient, commandId: string, instanceId: string): Promise<string | undefined> {
  try {
    const out = await ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId }));
    const text = `${out.StandardOutputContent ?? ''}\n${out.StandardErrorContent ?? ''}`;
    const line = text.split(/\r?\n/).find((l) => l.trimStart().startsWith(RESULT_MARKER));
    const code = out.ResponseCode !== undefined && out.ResponseCode >= 0 ? `exit code ${out.ResponseCode}` : '';
    const result = line ? line.trim().replace(SECRET_LOOKING, '[redacted]').slice(0, HINT_MAX) : '';
    const parts = [code, result].filter((p) => p !== '');
    return parts.length > 0 ? `${instanceId} ${parts.join(', ')}` : undefined;
  } catch {
    // Only an enrichment of the message: the failure itself is already established.
    return undefined;
  }
}
