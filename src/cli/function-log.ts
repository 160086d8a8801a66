/**
 * Finds, in the rotation function's own log group, why the current rotation failed before the push: the handler
 * logs `step failed` with the step, the version id and the error (name and message, never a secret) on every
 * failure. One FilterLogEvents query per look: the version's `step failed` and `step completed` lines; the newest
 * decides (a failure that a later retry got past is history, not the answer).
 */
import { paginateFilterLogEvents, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { awsCall, problemOf } from './aws-errors';

/** The function's failure of one step, as its log line says it. */
export interface StepFailure {
  readonly step: string;
  readonly errorName: string;
  /** The function's error message: what is wrong and, for our errors, what to do. */
  readonly reason: string;
  readonly fix: string;
  /** When the function logged it (ISO). */
  readonly at: string;
  readonly logGroup: string;
}

/** What a look at the log found. */
export type FailureLookup =
  | { readonly kind: 'failed'; readonly failure: StepFailure }
  | { readonly kind: 'none' }
  | { readonly kind: 'unreadable'; readonly problem: string };

/** At most this many pages per look (a rotation logs two such lines per step and attempt). */
const MAX_PAGES = 20;

/** Looks for the newest `step failed` / `step completed` line of a version since a time. Never throws. */
export async function findStepFailure(
  logs: CloudWatchLogsClient,
  query: { logGroup: string; versionId: string; since: number; region?: string },
): Promise<FailureLookup> {
  const filterPattern =
    `{ $.versionId = ${JSON.stringify(query.versionId)} && ` +
    '($.message = "step failed" || $.message = "step completed") }';
  let newest: { timestamp: number; message: string } | undefined;
  try {
    const call = {
      action: 'logs:FilterLogEvents',
      resource: `log group ${query.logGroup}`,
      ...(query.region ? { region: query.region } : {}),
    };
    await awsCall(call, async () => {
      let pages = 0;
      const input = { logGroupName: query.logGroup, startTime: query.since, filterPattern };
      for await (const out of paginateFilterLogEvents({ client: logs }, input)) {
        for (const event of out.events ?? []) {
          if (event.message && (newest === undefined || (event.timestamp ?? 0) >= newest.timestamp)) {
            newest = { timestamp: event.timestamp ?? 0, message: event.message };
          }
        }
        // A page cap: the filter names one version, so more pages mean a log group flooded with other lines.
        if (++pages >= MAX_PAGES) break;
      }
    });
  } catch (error) {
    return { kind: 'unreadable', problem: `could not read the function's log (${problemOf(error)})` };
  }
  if (!newest) return { kind: 'none' };
  const line = parseLine(newest.message);
  if (line?.message !== 'step failed') return { kind: 'none' };
  const errorName = text(line.errorName) ?? 'Error';
  return {
    kind: 'failed',
    failure: {
      step: text(line.step) ?? 'unknown step',
      errorName,
      reason: text(line.errorMessage) ?? '(the line holds no message)',
      fix: fixFor(errorName),
      at: new Date(newest.timestamp).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      logGroup: query.logGroup,
    },
  };
}

function parseLine(message: string): Record<string, unknown> | undefined {
  try {
    const json = JSON.parse(message) as unknown;
    return json && typeof json === 'object' ? (json as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value.slice(0, 2000) : undefined;
}

/** What to do, by the kind of error the function threw; the reason itself names the specifics. */
export function fixFor(errorName: string): string {
  const resume =
    'then let the rotation resume: Secrets Manager retries it with the same version, or ask for the retry now ' +
    'with aws secretsmanager rotate-secret --secret-id <id>';
  if (errorName === 'ConfigurationError') {
    return `make the function's configuration and the secret agree as the reason says (redeploy the construct, or fix the secret's settings); ${resume}`;
  }
  if (errorName === 'KeyReconciliationError') return `sort out the SES user's keys as the reason says; ${resume}`;
  if (errorName === 'InvalidEventError') return 'attach the rotation function deployed for this secret';
  if (errorName === 'RotationStateError') return 'follow the reason: it names the command to run';
  if (errorName.startsWith('Smtp') || errorName === 'EndpointRegionMismatchError') {
    return `fix the SMTP check's cause (README, "The SMTP check (testSecret)" → "Failures and what to do"); ${resume}`;
  }
  if (/AccessDenied/.test(errorName)) return `grant the function's role the action the reason names; ${resume}`;
  return `the reason says what failed; fix it, ${resume}`;
}
