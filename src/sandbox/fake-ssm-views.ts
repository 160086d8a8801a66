/**
 * How the fake SSM renders and filters what it returns: commands as ListCommands shows them and its filters,
 * invocation rows with SSM's Status / StatusDetails pairs, the detailed Status filter values, and SSM-style
 * pagination (at most 50 per page, opaque NextToken).
 */
import {
  InvalidFilterKey,
  InvalidFilterValue,
  InvalidNextToken,
  type Command,
  type CommandFilter,
  type CommandInvocation,
} from '@aws-sdk/client-ssm';
import type { FakeHost } from './fake-fleet-hosts';
import type { FakeCommand, FakeInvocation } from './fake-ssm-command';
import { sdkError, validationError } from './fake-ssm-validation';

const LIST_COMMANDS_STATUS = new Set(['Pending', 'InProgress', 'Success', 'Cancelled', 'Failed', 'TimedOut']);

/** Whether a command matches one ListCommands filter. */
export function commandMatches(command: FakeCommand, filter: CommandFilter): boolean {
  const value = filter.value ?? '';
  switch (filter.key) {
    case 'DocumentName':
      return command.input.DocumentName === value;
    case 'InvokedAfter':
      return command.requestedAt >= parseTime(value);
    case 'InvokedBefore':
      return command.requestedAt <= parseTime(value);
    case 'Status': {
      const view = command.view();
      if (LIST_COMMANDS_STATUS.has(value)) return view.Status === value;
      return view.StatusDetails.replace(/\s+/g, '') === value;
    }
    case 'ExecutionStage':
      return value === (command.terminal() ? 'Complete' : 'Executing');
    default:
      throw sdkError(InvalidFilterKey, `Invalid filter key ${filter.key ?? ''}`);
  }
}

/** A command as ListCommands and SendCommand return it. */
export function describeCommand(command: FakeCommand): Command {
  const input = command.input;
  return {
    CommandId: command.id,
    DocumentName: input.DocumentName,
    DocumentVersion: input.DocumentVersion ?? '$DEFAULT',
    Comment: input.Comment,
    Parameters: structuredClone(input.Parameters ?? {}),
    InstanceIds: [...(input.InstanceIds ?? [])],
    Targets: structuredClone(input.Targets ?? []),
    RequestedDateTime: new Date(command.requestedAt),
    ExpiresAfter: new Date(command.requestedAt + (input.TimeoutSeconds ?? 3600) * 1000),
    MaxConcurrency: input.MaxConcurrency ?? '50',
    MaxErrors: input.MaxErrors ?? '0',
    TimeoutSeconds: input.TimeoutSeconds ?? 3600,
    CloudWatchOutputConfig: structuredClone(input.CloudWatchOutputConfig ?? { CloudWatchOutputEnabled: false }),
    ...command.view(),
  } as Command;
}

/** SSM's largest page for ListCommands and ListCommandInvocations. */
export const PAGE_MAX = 50;

const INVOCATION_STATUS: Record<string, string> = {
  ExecutionTimedOut: 'TimedOut',
  DeliveryTimedOut: 'TimedOut',
  Undeliverable: 'Failed',
  InvalidPlatform: 'Failed',
  AccessDenied: 'Failed',
  Terminated: 'Cancelled',
};
const INVOCATION_DETAILS: Record<string, string> = {
  InProgress: 'In Progress',
  ExecutionTimedOut: 'Execution Timed Out',
  DeliveryTimedOut: 'Delivery Timed Out',
  InvalidPlatform: 'Invalid Platform',
  AccessDenied: 'Access Denied',
};
const INVOCATION_FILTER_VALUES = new Set([
  ...['Pending', 'InProgress', 'Delayed', 'Success', 'Cancelled', 'Failed', 'TimedOut', 'Cancelling'],
  ...['AccessDenied', 'DeliveryTimedOut', 'ExecutionTimedOut', 'Undeliverable', 'InvalidPlatform', 'Terminated'],
]);

/** The state a ListCommandInvocations filter asks for (only Status filters are supported). */
export function invocationFilter(filter: CommandFilter): string {
  if (filter.key !== 'Status') throw sdkError(InvalidFilterKey, `Invalid filter key ${filter.key ?? ''}`);
  if (!INVOCATION_FILTER_VALUES.has(filter.value ?? ''))
    throw sdkError(InvalidFilterValue, `Invalid filter value ${filter.value ?? ''}`);
  return filter.value ?? '';
}

/** Whether an invocation matches a Status filter value (`TimedOut` covers both timeouts). */
export function stateMatches(inv: FakeInvocation, value: string): boolean {
  if (value === 'TimedOut') return inv.state === 'ExecutionTimedOut' || inv.state === 'DeliveryTimedOut';
  return inv.state === value;
}

/** An invocation as ListCommandInvocations returns it. */
export function invocationRow(command: FakeCommand, inv: FakeInvocation, details: boolean): CommandInvocation {
  const status = INVOCATION_STATUS[inv.state] ?? inv.state;
  return {
    CommandId: command.id,
    InstanceId: inv.host.instanceId,
    Comment: command.input.Comment,
    DocumentName: command.input.DocumentName,
    RequestedDateTime: new Date(command.requestedAt),
    Status: status,
    StatusDetails: INVOCATION_DETAILS[inv.state] ?? inv.state,
    ...(details
      ? {
          CommandPlugins: [
            {
              Name: pluginName(inv.host),
              Status: status,
              ResponseCode: inv.exitCode,
              Output: inv.output.slice(0, 2500),
            },
          ],
        }
      : {}),
  } as CommandInvocation;
}

/** The plugin (document step) that ran on the host. */
export function pluginName(host: FakeHost): string {
  return host.platform === 'Windows' ? 'UpdateIisSmtp' : 'UpdatePostfix';
}

/** One page of `rows` from an opaque NextToken. */
export function page<T, R, K extends string>(
  rows: readonly T[],
  token: string | undefined,
  max: number,
  operation: string,
  render: (row: T) => R,
  key: K,
): { [P in K]: R[] } & { NextToken?: string } {
  const offset = token === undefined ? 0 : decodeToken(token, operation);
  const slice = rows.slice(offset, offset + max).map(render);
  const next = offset + max < rows.length ? encodeToken(operation, offset + max) : undefined;
  return { [key]: slice, ...(next ? { NextToken: next } : {}) } as { [P in K]: R[] } & { NextToken?: string };
}

function encodeToken(operation: string, offset: number): string {
  return Buffer.from(JSON.stringify({ operation, offset })).toString('base64');
}

function decodeToken(token: string, operation: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { operation?: string; offset?: number };
    if (parsed.operation === operation && Number.isInteger(parsed.offset)) return parsed.offset as number;
  } catch {
    // Falls through to the service's error.
  }
  throw sdkError(InvalidNextToken, 'The specified token is not valid.');
}

/** Validates MaxResults (1–50, default 50). */
export function pageSize(maxResults: number | undefined): number {
  if (maxResults === undefined) return PAGE_MAX;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > PAGE_MAX) {
    throw validationError(`MaxResults must be between 1 and ${PAGE_MAX}.`);
  }
  return maxResults;
}

/** Parses an InvokedAfter / InvokedBefore value. */
export function parseTime(value: string): number {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw sdkError(InvalidFilterValue, `Not a timestamp: ${value}`);
  return t;
}
