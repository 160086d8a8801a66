/**
 * The fleet push of one version as the operator commands report it: the newest SSM command whose comment names
 * the version (the rotation's own `commandComment`), its O(1) counters, and — once it settled — the hosts in each
 * bad state, judged by the rotation's own completion rule. Reuses the fleet's SSM reads; adds no new ones.
 */
import type { Command, SSMClient } from '@aws-sdk/client-ssm';
import { decidePoll, describeHostsInState, judge } from '../aws/command-status';
import type { HostsInState } from '../rotation/fleet-errors';
import { failureHint, findNewestCommand, listHostsInState, toSnapshot } from '../aws/ssm-commands';
import { commandComment, DEFAULT_LOOKBACK_MS } from '../aws/ssm-fleet';
import { awsCall } from './aws-errors';

/** What became of one push. */
export type PushOutcome = 'running' | 'succeeded' | 'failed' | 'no-targets';

/** One push, ready to print. */
export interface PushView {
  readonly versionId: string;
  readonly commandId: string;
  readonly requested?: string;
  readonly status: string;
  readonly statusDetails: string;
  readonly targets: number;
  readonly completed: number;
  readonly errors: number;
  readonly deliveryTimedOut: number;
  readonly outcome: PushOutcome;
  /** Why the push failed (phrases naming hosts and states); empty unless failed. */
  readonly problems: readonly string[];
  /** Hosts per bad state (only states with hosts). */
  readonly failedHosts: readonly HostsInState[];
  /** The first failing host's exit code / result line, secret-free. */
  readonly firstError?: string;
}

/**
 * The newest command sent for `versionId` in the look-back window, if any: by the rotation's comment, or by
 * `comment` (the abandon push's, whose `VersionId` parameter is the AWSCURRENT version it pushes back).
 */
export function findPushCommand(
  ssm: SSMClient,
  query: {
    documentName: string;
    versionId: string;
    now: number;
    lookbackMs?: number;
    region?: string;
    comment?: string;
  },
): Promise<Command | undefined> {
  return awsCall(
    { action: 'ssm:ListCommands', resource: `the commands of document ${query.documentName}`, region: query.region },
    () =>
      findNewestCommand(ssm, {
        documentName: query.documentName,
        comment: query.comment ?? commandComment(query.versionId),
        versionId: query.versionId,
        invokedAfter: new Date(query.now - (query.lookbackMs ?? DEFAULT_LOOKBACK_MS)),
      }),
  );
}

/** Summarises a command; lists bad states (one filtered call each) only once it settled. */
export async function viewPush(
  ssm: SSMClient,
  versionId: string,
  command: Command,
  region?: string,
): Promise<PushView> {
  const call = (action: string) => ({ action, resource: `SSM command ${command.CommandId ?? '?'}`, region });
  const snapshot = toSnapshot(command);
  const decision = decidePoll(snapshot);
  const base = {
    versionId,
    commandId: snapshot.commandId,
    ...(command.RequestedDateTime ? { requested: command.RequestedDateTime.toISOString() } : {}),
    status: snapshot.status,
    statusDetails: snapshot.statusDetails,
    targets: snapshot.targetCount,
    completed: snapshot.completedCount,
    errors: snapshot.errorCount,
    deliveryTimedOut: snapshot.deliveryTimedOutCount,
  };
  if (decision.kind === 'wait') return { ...base, outcome: 'running', problems: [], failedHosts: [] };
  if (decision.kind === 'no-targets') {
    return {
      ...base,
      outcome: 'no-targets',
      problems: ['the command reached no host (no managed node matched the targets)'],
      failedHosts: [],
    };
  }
  const found: HostsInState[] = [];
  for (const state of decision.inspect) {
    found.push(
      await awsCall(call('ssm:ListCommandInvocations'), () => listHostsInState(ssm, snapshot.commandId, state)),
    );
  }
  const verdict = judge(snapshot, found);
  const failedHosts = found.filter((f) => f.total > 0);
  if (verdict.kind === 'success') return { ...base, outcome: 'succeeded', problems: [], failedHosts };
  const erring = failedHosts.find((f) => f.state === 'Failed' || f.state === 'ExecutionTimedOut');
  const host = erring?.hostIds[0];
  const firstError = host
    ? await awsCall(call('ssm:GetCommandInvocation'), () => failureHint(ssm, snapshot.commandId, host))
    : undefined;
  return {
    ...base,
    outcome: 'failed',
    problems: verdict.reasons,
    failedHosts,
    ...(firstError ? { firstError } : {}),
  };
}

/** "3/5 hosts done (InProgress)". */
export function progressPhrase(push: PushView): string {
  const details =
    push.statusDetails && push.statusDetails.replace(/\s+/g, '') !== push.status ? `, ${push.statusDetails}` : '';
  const targets =
    push.targets === 0 && push.outcome === 'running'
      ? 'resolving targets'
      : `${push.completed}/${push.targets} hosts done`;
  return `${targets} (${push.status}${details})`;
}

/** One line per bad state: "2 hosts Failed (the document exited non-zero): i-1, i-2". */
export function failedHostLines(push: PushView): string[] {
  return push.failedHosts.map(describeHostsInState);
}
