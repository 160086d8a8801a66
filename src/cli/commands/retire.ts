import { AccessKeys } from '../../aws/access-keys';
import { SecretStore } from '../../aws/secret-store';
import { SnsNotifier } from '../../aws/sns-notifier';
import { maskKeyId } from '../../core/mask';
import type { RetirementNotice } from '../../rotation/ports';
import { RETIREMENT_TAGS, type RetiringKey } from '../../rotation/retirement';
import { formatWindow } from '../../rotation/retirement-policy';
import { regionOfArn, SECRET_COMMAND_FLAGS } from '../aws-clients';
import { EXIT, parseFlags, type CommandBody } from '../command';
import { println, type Io } from '../io';
import { describeSecret, readRetirement, type RetirementState, type RetirementView } from '../retirement-view';
import { secretCommandContext } from '../runtime';
import { readFunctionState } from '../secret-state';
import { RetireRefusedError, UsageError } from '../errors';

const HELP = `Usage: ses-smtp-rotation retire --secret-id <id> [--reactivate | --resume | --now [--key-id <id>]]
                                [--json] [--region <region>] [--profile <profile>]

Shows the old key of the last rotation while it retires: its stage (active, inactive, held because a consumer still
uses it, paused), when it is deactivated and deleted, and when and where it was last used. The dates come from the
same logic the hourly retirement pass runs, with the function's configured policy.

Actions (one at a time; each is printed and notified on the rotation's SNS topic):
  --reactivate       turn a deactivated old key back on (a consumer found late) and pause its retirement:
                     the hourly pass then waits until you say --resume
  --resume           go on with the retirement from now: uses of the old key before now no longer hold it
  --now              delete the old key at once (a leaked key, or a consumer already moved)
  --key-id <id>      the key to act on (full or masked id); default the one retiring key. Never the key in
                     AWSCURRENT or AWSPENDING: those are refused.

Options:
  --secret-id <id>       name or ARN of the secret (required)
  --json                 print one JSON object: secretArn, policy, confirmedAt, emergencyTag, control,
                         rotationInProgress, keys[{keyId, status, stage, deactivateAt, deleteAt, lastUsed, decision}], action
  --region <region>      AWS region (default: AWS_REGION, the secret ARN's region, or your profile's)
  --profile <profile>    AWS profile (default: AWS_PROFILE)
  -h, --help             show this help

The caller needs secretsmanager:DescribeSecret and GetSecretValue, lambda:GetFunctionConfiguration,
iam:ListAccessKeys and GetAccessKeyLastUsed; the actions also iam:UpdateAccessKey or DeleteAccessKey,
secretsmanager:TagResource/UntagResource (tags ses-smtp-rotation:*) and sns:Publish.

Exit codes: 0 ok, 1 nothing to act on or refused, 2 usage error.`;

type Action = 'reactivate' | 'resume' | 'now';

/** `retire`: show and steer the retirement of the old key. */
export const retireCommand: CommandBody = {
  help: HELP,
  async run(args: string[], io: Io): Promise<number> {
    const { values } = parseFlags(args, {
      ...SECRET_COMMAND_FLAGS,
      reactivate: { type: 'boolean', default: false },
      resume: { type: 'boolean', default: false },
      now: { type: 'boolean', default: false },
      'key-id': { type: 'string' },
    });
    const actions = (['reactivate', 'resume', 'now'] as const).filter((a) => values[a]);
    if (actions.length > 1) throw new UsageError('choose one of --reactivate, --resume and --now');
    const action: Action | undefined = actions[0];
    if (values['key-id'] !== undefined && action === undefined) {
      throw new UsageError('--key-id names the key an action applies to: add --reactivate, --resume or --now');
    }
    const { secretId, runtime, clients } = secretCommandContext(values, io);
    const meta = await describeSecret(clients.secrets, secretId, clients.region);
    const fn = meta.rotationLambdaArn
      ? await readFunctionState(clients.lambda(regionOfArn(meta.rotationLambdaArn)), meta.rotationLambdaArn)
      : undefined;
    if (!fn?.ok) {
      println(io.stderr, `warning: ${fn?.problem ?? 'no rotation function is attached'}; assuming the default policy`);
    }
    const policy = fn?.ok ? fn.config.retirement : undefined;
    const state = await readRetirement(clients, meta, policy, runtime.clock.now());
    if (!values.json) printView(io, state.view);
    if (action === undefined) {
      if (values.json) println(io.stdout, JSON.stringify({ ...state.view, action: null }, null, 2));
      return EXIT.ok;
    }
    const key = target(state, values['key-id'], action);
    const notice = await apply(
      action,
      key,
      state,
      { secrets: new SecretStore(clients.secrets), keys: new AccessKeys(clients.iam) },
      runtime.clock.now(),
    );
    println(values.json ? io.stderr : io.stdout, notice.summary);
    if (fn?.ok && fn.config.notificationTopicArn) {
      const sns = clients.sns(regionOfArn(fn.config.notificationTopicArn));
      try {
        await new SnsNotifier(sns, fn.config.notificationTopicArn).retirement(notice);
      } catch (error) {
        println(io.stderr, `warning: the action was done but not notified (${(error as Error).name})`);
      }
    }
    if (values.json)
      println(io.stdout, JSON.stringify({ ...state.view, action: { name: action, keyId: notice.keyId } }, null, 2));
    return EXIT.ok;
  },
};

function target(state: RetirementState, keyIdFlag: string | undefined, action: Action): RetiringKey {
  const matches = (id: string) => keyIdFlag === id || keyIdFlag === maskKeyId(id);
  if (keyIdFlag !== undefined && state.protectedIds.some(matches)) {
    throw new RetireRefusedError(
      `refused: ${maskKeyId(state.protectedIds.find(matches)!)} is the key in AWSCURRENT or AWSPENDING, which the ` +
        'relays use or are about to use; retire acts only on the old key. To replace a leaked current key, run ' +
        'ses-smtp-rotation rotate --secret-id <secret> --emergency. Nothing was changed.',
    );
  }
  const candidates = keyIdFlag === undefined ? state.retiring : state.retiring.filter((k) => matches(k.id));
  const key = candidates[0];
  if (!key) {
    throw new RetireRefusedError(
      `nothing is retiring${keyIdFlag !== undefined ? ` under the key id ${keyIdFlag.slice(0, 24)}` : ''}: the SES ` +
        `user holds no old key of a completed rotation, so --${action} has nothing to act on. Nothing was changed.`,
    );
  }
  if (action === 'reactivate' && key.status === 'Active' && state.view.control?.startsWith('paused')) {
    throw new RetireRefusedError(`${maskKeyId(key.id)} is active and its retirement already paused: nothing to do`);
  }
  return key;
}

async function apply(
  action: Action,
  key: RetiringKey,
  state: RetirementState,
  aws: { secrets: SecretStore; keys: AccessKeys },
  now: number,
): Promise<RetirementNotice> {
  const arn = state.view.secretArn;
  const keyId = maskKeyId(key.id);
  const userName = state.userName ?? '';
  switch (action) {
    case 'reactivate':
      // Pause first: a pass between the two calls must not deactivate the key again.
      await aws.secrets.tag(arn, RETIREMENT_TAGS.control, `paused ${key.id}`);
      if (key.status !== 'Active') await aws.keys.setStatus(userName, key.id, 'Active');
      return notice(
        arn,
        'reactivated',
        keyId,
        `The old SES SMTP key ${keyId} was reactivated by an operator; its retirement waits for "retire --resume".`,
      );
    case 'resume':
      await aws.secrets.tag(arn, RETIREMENT_TAGS.control, `resumed ${new Date(now).toISOString()} ${key.id}`);
      return notice(
        arn,
        'resumed',
        keyId,
        `The retirement of the old SES SMTP key ${keyId} resumed: the hourly pass goes on from now.`,
      );
    case 'now':
      await aws.keys.delete(userName, key.id);
      await aws.secrets.untag(arn, RETIREMENT_TAGS.control);
      await aws.secrets.untag(arn, RETIREMENT_TAGS.heldAlerted);
      return notice(
        arn,
        'deleted',
        keyId,
        `The old SES SMTP key ${keyId} was deleted at once by an operator (retire --now).`,
      );
  }
}

function notice(secretArn: string, event: RetirementNotice['event'], keyId: string, summary: string): RetirementNotice {
  return {
    secretArn,
    event,
    keyId,
    summary,
    details: ['Done with ses-smtp-rotation retire; CloudTrail records the caller.'],
  };
}

function printView(io: Io, view: RetirementView): void {
  const p = view.policy;
  println(io.stdout, `Secret:      ${view.secretArn}`);
  println(
    io.stdout,
    `Policy:      ${p.mode}${p.mode === 'staged' ? `, deactivate after ${formatWindow(p.deactivateAfterMs)}, delete ${formatWindow(p.deleteAfterMs)} later, ${p.inUse} a key in use` : ''}`,
  );
  println(io.stdout, `Confirmed:   ${view.confirmedAt ?? 'no completed rotation recorded for AWSCURRENT'}`);
  if (view.emergencyTag !== null)
    println(io.stdout, `Emergency:   requested (${RETIREMENT_TAGS.emergency}=${view.emergencyTag})`);
  if (view.rotationInProgress) println(io.stdout, 'Rotation:    in progress (the retirement pass waits for it)');
  if (view.keys.length === 0) {
    println(io.stdout, 'Old key:     none retiring');
    return;
  }
  for (const k of view.keys) {
    println(io.stdout, `Old key:     ${k.keyId} — ${k.stage}`);
    if (k.deactivateAt) println(io.stdout, `  deactivate: ${k.deactivateAt}`);
    if (k.deleteAt) println(io.stdout, `  delete:     ${k.deleteAt}`);
    println(
      io.stdout,
      `  last used:  ${k.lastUsed ? `${k.lastUsed.at} (${k.lastUsed.service}, ${k.lastUsed.region})` : 'never (as far as IAM reports)'}`,
    );
  }
}
