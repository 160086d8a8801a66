/**
 * The fleet push over SSM Run Command: one command per attempt reaches every targeted host (Linux and Windows
 * through one schema-2.2 document), hosts fetch the version themselves, and the wait costs one `ListCommands` call
 * per poll whatever the fleet size. Resumable: a later invocation for the same version finds its command by the
 * comment and keeps waiting on it instead of pushing again.
 */
import { SendCommandCommand, type Command, type SSMClient } from '@aws-sdk/client-ssm';
import type { Clock, Deadline } from '../core/clock';
import { documentParameters } from '../core/document-contract';
import { ConfigurationError } from '../core/errors';
import type { FleetConfig } from '../rotation/config';
import type { Fleet, Log, PushReport, PushRequest } from '../rotation/ports';
import { decidePoll, judge, type CommandSnapshot, type PollDecision } from './command-status';
import { FleetPushFailedError, FleetPushPendingError, NoTargetsError } from '../rotation/fleet-errors';
import { describeTargets, targetSelection } from './fleet-targets';
import { failureHint, findNewestCommand, listHostsInState, readCommand, toSnapshot } from './ssm-commands';

/** Dependencies and tuning of {@link SsmFleet}. */
export interface SsmFleetOptions {
  readonly ssm: SSMClient;
  readonly config: FleetConfig;
  readonly clock: Clock;
  readonly logger?: Log;
  /** How far back to look for a command already sent for the version (default 14 days). */
  readonly lookbackMs?: number;
}

/** Prefix of every command comment; the version id follows, so a retry recognises its own command. */
export const COMMENT_PREFIX = 'ses-smtp-rotation';

/** Default look-back for earlier commands: longer than Secrets Manager keeps retrying one rotation. */
export const DEFAULT_LOOKBACK_MS = 14 * 24 * 3600 * 1000;

/** The `SendCommand` comment that identifies a version (≤ 100 characters: version ids are ≤ 64). */
export function commandComment(versionId: string): string {
  return `${COMMENT_PREFIX} ${versionId}`;
}

/**
 * The comment of the push that abandons the rotation to `pendingVersionId` (≤ 90 characters). The command's
 * `VersionId` parameter names the version pushed back (AWSCURRENT); a comment of its own keeps the rotation's old
 * command of that version, which found every host confirmed long ago, from being taken for this push.
 */
export function abandonComment(pendingVersionId: string): string {
  return `${COMMENT_PREFIX} abandon ${pendingVersionId}`;
}

type Settled = { readonly ok: true; readonly report: PushReport } | { readonly ok: false; readonly error: Error };

const silent: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** {@link Fleet} over SSM Run Command. */
export class SsmFleet implements Fleet {
  private readonly ssm: SSMClient;
  private readonly config: FleetConfig;
  private readonly clock: Clock;
  private readonly logger: Log;
  private readonly lookbackMs: number;

  constructor(options: SsmFleetOptions) {
    this.ssm = options.ssm;
    this.config = options.config;
    this.clock = options.clock;
    this.logger = options.logger ?? silent;
    this.lookbackMs = options.lookbackMs ?? DEFAULT_LOOKBACK_MS;
    if (this.config.tagTargets.length === 0 && this.config.instanceIds.length === 0) {
      throw new ConfigurationError('the fleet has no targets: configure tag targets or instance ids');
    }
  }

  /**
   * Pushes `request.versionId` to every targeted host and waits until all confirmed, or resumes the command an
   * earlier invocation sent for the same version.
   * @throws FleetPushPendingError when the deadline comes first (call again to resume)
   * @throws FleetPushFailedError / NoTargetsError when the push did not reach every host
   */
  async deliver(request: PushRequest, deadline: Deadline): Promise<PushReport> {
    const parameters = documentParameters(request.secretArn, request.versionId);
    const comment = request.comment ?? commandComment(request.versionId);
    const context = { versionId: request.versionId, documentName: this.config.documentName };
    const found = await this.newestCommandFor(comment, request.secretArn, request.versionId);
    // A command older than `newerThan` is stale for the caller: another push may have changed the hosts since.
    const stale = request.newerThan !== undefined && (found?.RequestedDateTime?.getTime() ?? 0) <= +request.newerThan;
    const previous = stale ? undefined : found;
    let commandId: string;
    if (previous === undefined) {
      commandId = await this.send(parameters, comment, context);
    } else {
      const snapshot = toSnapshot(previous);
      const decision = decidePoll(snapshot);
      if (decision.kind === 'wait') {
        commandId = snapshot.commandId;
        this.logger.info('fleet push resumes waiting on the command already sent for this version', {
          ...context,
          commandId,
          status: snapshot.status,
          done: `${snapshot.completedCount}/${snapshot.targetCount}`,
        });
      } else {
        const settled = await this.settle(snapshot, decision);
        if (settled.ok) {
          this.logger.info('fleet push already confirmed by every host', { ...context, commandId: snapshot.commandId });
          return settled.report;
        }
        // A failed attempt is never resumed: a new command to the same targets retries every host (those that
        // already switched re-fetch the same version idempotently) and picks up hosts added since.
        this.logger.warn('earlier fleet push for this version failed; sending a new command', {
          ...context,
          previousCommandId: snapshot.commandId,
          previousOutcome: settled.error.message,
        });
        commandId = await this.send(parameters, comment, context);
      }
    }
    return this.waitFor(commandId, deadline);
  }

  /** The newest command of our document for this comment, secret and version, if any. */
  private newestCommandFor(comment: string, secretArn: string, versionId: string): Promise<Command | undefined> {
    return findNewestCommand(this.ssm, {
      documentName: this.config.documentName,
      comment,
      invokedAfter: new Date(this.clock.now() - this.lookbackMs),
      secretArn,
      versionId,
    });
  }

  private async send(
    parameters: Record<string, string[]>,
    comment: string,
    context: Record<string, unknown>,
  ): Promise<string> {
    const { config } = this;
    const out = await this.ssm.send(
      new SendCommandCommand({
        DocumentName: config.documentName,
        ...targetSelection(config),
        Parameters: parameters,
        Comment: comment,
        MaxConcurrency: config.maxConcurrency,
        MaxErrors: config.maxErrors,
        TimeoutSeconds: config.deliveryTimeoutSeconds,
        CloudWatchOutputConfig: {
          CloudWatchOutputEnabled: true,
          ...(config.outputLogGroup ? { CloudWatchLogGroupName: config.outputLogGroup } : {}),
        },
      }),
    );
    const commandId = out.Command?.CommandId;
    if (!commandId) throw new Error('SSM SendCommand returned no command id');
    this.logger.info('fleet push sent', {
      ...context,
      commandId,
      targets: describeTargets(config),
      maxConcurrency: config.maxConcurrency,
      maxErrors: config.maxErrors,
      deliveryTimeoutSeconds: config.deliveryTimeoutSeconds,
    });
    return commandId;
  }

  /** Polls one command (one `ListCommands` call per round) until it settles or the deadline comes. */
  private async waitFor(commandId: string, deadline: Deadline): Promise<PushReport> {
    const pollMs = this.config.pollIntervalSeconds * 1000;
    for (;;) {
      const snapshot = await readCommand(this.ssm, commandId);
      const decision = decidePoll(snapshot);
      if (decision.kind !== 'wait') {
        const settled = await this.settle(snapshot, decision);
        if (!settled.ok) throw settled.error;
        this.logger.info('fleet push confirmed by every host', {
          commandId,
          hostsUpdated: settled.report.hostsUpdated,
        });
        return settled.report;
      }
      if (deadline.expired()) {
        throw new FleetPushPendingError(commandId, snapshot.completedCount, snapshot.targetCount, decision.reason);
      }
      await this.clock.sleep(Math.min(pollMs, deadline.remaining()));
    }
  }

  /** Judges a command that stopped running: lists only the bad states, names hosts on failure. */
  private async settle(snapshot: CommandSnapshot, decision: Exclude<PollDecision, { kind: 'wait' }>): Promise<Settled> {
    const { commandId } = snapshot;
    if (decision.kind === 'no-targets') {
      return { ok: false, error: new NoTargetsError(commandId, describeTargets(this.config)) };
    }
    const found = [];
    for (const state of decision.inspect) found.push(await listHostsInState(this.ssm, commandId, state));
    const verdict = judge(snapshot, found);
    // Per-host results stay in Run Command history under the command id; listing them here would cost a call.
    if (verdict.kind === 'success') return { ok: true, report: { commandId, hostsUpdated: snapshot.targetCount } };
    const erring = found.find((f) => (f.state === 'Failed' || f.state === 'ExecutionTimedOut') && f.hostIds.length > 0);
    const hint = erring?.hostIds[0] ? await failureHint(this.ssm, commandId, erring.hostIds[0]) : undefined;
    const failures = found.filter((f) => f.total > 0);
    return { ok: false, error: new FleetPushFailedError(commandId, failures, verdict.reasons, hint) };
  }
}
