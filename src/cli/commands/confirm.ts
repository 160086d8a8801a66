import { SecretStore } from '../../aws/secret-store';
import { ConsumerRegistryError } from '../../aws/consumer-registry';
import { SesSmtpRotationError } from '../../core/errors';
import { checkConsumerName, checkFreeText, ManualConsumerInputError, NOTE_MAX } from '../../core/manual-consumer';
import { manualProgress } from '../../rotation/manual-wait';
import { SECRET_COMMAND_FLAGS } from '../aws-clients';
import { awsCall } from '../aws-errors';
import { EXIT, parseFlags, type CommandBody } from '../command';
import { println, type Io } from '../io';
import { callerArn, openRegistry } from '../manual-registry';
import { registryCall } from '../manual-status';
import { secretCommandContext } from '../runtime';
import { readSecretState, unfinishedVersion } from '../secret-state';
import { AwsCallError, UsageError, usageOf } from '../errors';

const HELP = `Usage: ses-smtp-rotation confirm --secret-id <id> --consumer <name> [--note <text>] [--json]
                                 [--region <region>] [--profile <profile>]

Confirms that a manual consumer now uses the rotation's new credential (the pending version; see
"credential show --pending --reveal"). The confirmation is written for that version only, once per consumer,
for a registered consumer only, and only after the function asked for it (one conditional DynamoDB transaction:
otherwise nothing is written). It records your IAM identity (STS GetCallerIdentity) and the time.

When it is the last one, the rotation is re-attempted at once (RotateSecret on the secret, which Secrets Manager
answers "A previous rotation isn't complete. That rotation will be reattempted."): the function then promotes the
new version and the old key's retirement starts.

Options:
  --secret-id <id>     name or ARN of the secret (required)
  --consumer <name>    the registered consumer you changed (required)
  --note <text>        e.g. a change ticket (up to ${NOTE_MAX} characters)
  --json               print {secretArn, versionId, consumer, confirmedBy, confirmedAt, note, pending[], resumed}
  --region, --profile  as for every command
  -h, --help           show this help

The caller needs secretsmanager:DescribeSecret and ListSecretVersionIds, lambda:GetFunctionConfiguration,
sts:GetCallerIdentity, dynamodb:ConditionCheckItem/PutItem (TransactWriteItems) and dynamodb:Query on the table;
the last confirmation also secretsmanager:RotateSecret (and lambda:InvokeFunction on the rotation function).

Exit codes: 0 confirmed, 1 refused or failed (nothing changed), 2 usage error.`;

/** Confirming is not possible now (nothing pending); nothing was changed. */
export class ConfirmRefusedError extends SesSmtpRotationError {}

/** `confirm`: a person's audited confirmation that a manual consumer uses the pending version. */
export const confirmCommand: CommandBody = {
  help: HELP,
  async run(args: string[], io: Io): Promise<number> {
    const { values } = parseFlags(args, {
      ...SECRET_COMMAND_FLAGS,
      consumer: { type: 'string' },
      note: { type: 'string' },
    });
    const name = values.consumer;
    const text = values.note;
    if (name === undefined) throw new UsageError('--consumer is required: the consumer you changed');
    const consumer = usageOf(ManualConsumerInputError, () => checkConsumerName(name));
    const note =
      text === undefined
        ? undefined
        : usageOf(ManualConsumerInputError, () => checkFreeText('--note', 'note', text, NOTE_MAX));
    const context = secretCommandContext(values, io);
    const open = await openRegistry(context);
    const { secret } = open;
    const versionId = unfinishedVersion(secret);
    if (versionId === undefined) {
      throw new ConfirmRefusedError(
        `nothing is pending for ${secret.name}: no rotation waits for confirmation (AWSPENDING is on no version ` +
          'other than AWSCURRENT). Confirm after the notification of the next rotation. Nothing was changed.',
      );
    }
    const confirmedBy = await callerArn(context);
    const confirmedAt = new Date(context.runtime.clock.now()).toISOString();
    const say = (line: string) => println(values.json ? io.stderr : io.stdout, line);
    const stillPending = async () => {
      const [consumers, confirmations] = await registryCall(open, 'dynamodb:Query', () =>
        Promise.all([open.registry.consumers(secret.arn), open.registry.confirmations(secret.arn, versionId)]),
      );
      return manualProgress(consumers, confirmations, versionId).pending.map((c) => c.name);
    };
    try {
      await registryCall(open, 'dynamodb:TransactWriteItems', () =>
        open.registry.confirm(secret.arn, {
          consumer,
          versionId,
          confirmedBy,
          confirmedAt,
          ...(note ? { note } : {}),
        }),
      );
    } catch (error) {
      // Confirming twice is refused, but if the first run died before it could resume the rotation (or its
      // re-attempt failed), this one still resumes it: re-running the command is the natural retry.
      if (error instanceof ConsumerRegistryError && error.problem === 'already-confirmed') {
        if ((await stillPending()).length === 0) await resume(context, secret.arn, versionId, say);
      }
      throw error;
    }
    say(`confirmed: "${consumer}" uses version ${versionId} of ${secret.name} (by ${confirmedBy} at ${confirmedAt})`);
    const pending = await stillPending();
    let resumed = false;
    if (pending.length > 0) {
      say(`still pending: ${pending.join(', ')}; the old key stays active until they confirm`);
    } else {
      resumed = await resume(context, secret.arn, versionId, say);
    }
    if (values.json) {
      println(
        io.stdout,
        JSON.stringify(
          {
            secretArn: secret.arn,
            versionId,
            consumer,
            confirmedBy,
            confirmedAt,
            note: note ?? null,
            pending,
            resumed,
          },
          null,
          2,
        ),
      );
    }
    return EXIT.ok;
  },
};

/**
 * The last confirmation re-attempts the pending rotation. Only while that version is still pending (re-read
 * now): a RotateSecret with nothing pending would start a new rotation instead. Secrets Manager answers a
 * RotateSecret during an unfinished rotation with InvalidRequestException "…will be reattempted" and re-runs it.
 */
async function resume(
  context: ReturnType<typeof secretCommandContext>,
  secretArn: string,
  versionId: string,
  say: (line: string) => void,
): Promise<boolean> {
  const { clients } = context;
  const now = await readSecretState(clients.secrets, secretArn, clients.region);
  if (unfinishedVersion(now) !== versionId) {
    say('every manual consumer confirmed; the rotation already went on (nothing to re-attempt)');
    return false;
  }
  let reattempted: boolean;
  try {
    // The function's own adapter call (RotateSecret; "previous rotation … reattempted" means it re-runs).
    reattempted = await awsCall(
      {
        action: 'secretsmanager:RotateSecret',
        resource: `secret ${secretArn} (and lambda:InvokeFunction on its rotation function)`,
        ...(clients.region ? { region: clients.region } : {}),
      },
      () => new SecretStore(clients.secrets).reattempt(secretArn),
    );
  } catch (error) {
    if (error instanceof AwsCallError) {
      // The confirmation is recorded; only the immediate re-attempt failed.
      say(`every manual consumer confirmed, but the rotation could not be re-attempted now: ${error.message}`);
      say(`re-attempt it with: aws secretsmanager rotate-secret --secret-id ${secretArn}`);
      return false;
    }
    throw error;
  }
  if (reattempted) {
    say('every manual consumer confirmed: the pending rotation is re-attempted now; promotion follows in minutes');
    say(`follow it with: ses-smtp-rotation status --secret-id ${secretArn}`);
    return true;
  }
  // Accepted as a new rotation: only possible if the pending one finished between our read and the call.
  say('every manual consumer confirmed; Secrets Manager started a rotation (the pending one had just finished)');
  return true;
}
