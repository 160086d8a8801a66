/**
 * Errors of the fleet push. Each names the SSM command id (so an operator can open it in Run Command history), the
 * hosts and states involved, and what happens next. None contains a secret: hosts fetch the credential themselves
 * and the push never sees it.
 */
import { SesSmtpRotationError } from '../core/errors';

/** Hosts found in one bad invocation state, e.g. Undeliverable. */
export interface HostsInState {
  /** The `ListCommandInvocations` status filter value (`Failed`, `Undeliverable`, …). */
  readonly state: string;
  /** Up to a page of instance ids, in the order SSM listed them. */
  readonly hostIds: readonly string[];
  /** How many hosts were found in this state (at least `hostIds.length`). */
  readonly total: number;
  /** True when listing stopped early: there may be more than `total`. */
  readonly truncated: boolean;
}

const NOTHING_PROMOTED = 'Nothing was promoted; the old key stays valid on every host.';

/** The command reached no managed node: the tag matched nothing (or the listed ids are not managed nodes). */
export class NoTargetsError extends SesSmtpRotationError {
  constructor(
    readonly commandId: string,
    /** Completes "no managed node …", e.g. "carries tag Role=relay". */
    readonly targetDescription: string,
  ) {
    super(
      `SSM command ${commandId} reached no host: no managed node ${targetDescription}. ${NOTHING_PROMOTED} ` +
        'Tag the relays (or fix FLEET_TARGET_TAGS / FLEET_INSTANCE_IDS), check that their SSM Agent is online ' +
        '(Fleet Manager), then retry the rotation.',
    );
  }
}

/** At least one targeted host did not confirm the version. */
export class FleetPushFailedError extends SesSmtpRotationError {
  constructor(
    readonly commandId: string,
    /** Hosts per bad state; empty when only the counts told (see `reasons`). */
    readonly failures: readonly HostsInState[],
    /** Every reason, as phrases ("1 host Failed: i-0abc…", "command status Cancelled"). */
    readonly reasons: readonly string[],
    /** A short, secret-free hint from the first failing host (its result line or exit code), if any. */
    readonly firstError?: string,
  ) {
    super(
      `SSM command ${commandId} did not update every host: ${reasons.join('; ')}.` +
        (firstError ? ` First error: ${firstError}.` : '') +
        ` ${NOTHING_PROMOTED} Hosts that already switched hold the new key, which also works. ` +
        'Fix the named hosts (see the command output in Run Command history or CloudWatch Logs), then retry ' +
        'the rotation: it sends a new command to all targets.',
    );
  }
}

/** The deadline came while hosts were still updating: the next invocation keeps waiting on the same command. */
export class FleetPushPendingError extends SesSmtpRotationError {
  constructor(
    readonly commandId: string,
    readonly completed: number,
    readonly targets: number,
    readonly status: string,
  ) {
    super(
      `SSM command ${commandId} is still in progress (${completed}/${targets} hosts done, status ${status}) at ` +
        'the deadline of this invocation; the rotation will resume and keep waiting on the same command. ' +
        'Nothing was promoted yet; the old key stays valid.',
    );
  }
}
