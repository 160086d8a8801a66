import {
  checkConsumerName,
  checkFreeText,
  CONSUMER_NAME_MAX,
  ManualConsumerInputError,
  NOTE_MAX,
  OWNER_MAX,
  type ManualConsumer,
} from '../../core/manual-consumer';
import { SECRET_COMMAND_FLAGS } from '../aws-clients';
import { EXIT, parseFlags, type CommandBody } from '../command';
import { table } from '../format';
import { println, type Io } from '../io';
import { callerArn, openRegistry } from '../manual-registry';
import { registryCall } from '../manual-status';
import { secretCommandContext } from '../runtime';
import { UsageError, usageOf } from '../errors';

const HELP = `Usage: ses-smtp-rotation consumers add    --secret-id <id> --consumer <name> [--owner <contact>] [--note <text>]
       ses-smtp-rotation consumers list   --secret-id <id> [--json]
       ses-smtp-rotation consumers remove --secret-id <id> --consumer <name>
                                          [--region <region>] [--profile <profile>]

The registry of manual consumers: systems the SSM push cannot reach (an appliance, a scanner, a partner-managed
box) whose SMTP credential staff change by hand. While one of them has not confirmed a rotation's new credential,
that rotation is not promoted and the old key stays active. An empty registry changes nothing.

The table is the one the rotation function is configured with (MANUAL_CONSUMERS_TABLE, set by the construct).
Every change records your IAM identity (STS GetCallerIdentity) and the time, in the consumer item and in an
audit item of the same transaction.

Options:
  --secret-id <id>     name or ARN of the secret (required)
  --consumer <name>    1–${CONSUMER_NAME_MAX} printable characters, unique per secret (add, remove)
  --owner <contact>    who changes its credential, e.g. an e-mail or a team (add; up to ${OWNER_MAX} characters)
  --note <text>        what and where it is (add; up to ${NOTE_MAX} characters)
  --json               list: print {secretArn, table, consumers[{name, owner, note, addedAt, addedBy}]}
  --region, --profile  as for every command
  -h, --help           show this help

The caller needs secretsmanager:DescribeSecret and ListSecretVersionIds, lambda:GetFunctionConfiguration,
sts:GetCallerIdentity, and on the table dynamodb:Query (list) or dynamodb:PutItem/DeleteItem through
TransactWriteItems (add, remove).

Exit codes: 0 ok, 1 refused or failed (nothing changed), 2 usage error.`;

/** `consumers add|list|remove`: the registry of manual consumers. */
export const consumersCommand: CommandBody = {
  help: HELP,
  async run(args: string[], io: Io): Promise<number> {
    const { values, positionals } = parseFlags(
      args,
      {
        ...SECRET_COMMAND_FLAGS,
        consumer: { type: 'string' },
        owner: { type: 'string' },
        note: { type: 'string' },
      },
      true,
    );
    const [action, ...extra] = positionals;
    if (action !== 'add' && action !== 'list' && action !== 'remove') {
      throw new UsageError('say what to do: consumers add, consumers list or consumers remove');
    }
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]?.slice(0, 40) ?? ''}"`);
    if (action !== 'add' && (values.owner !== undefined || values.note !== undefined)) {
      throw new UsageError('--owner and --note apply to consumers add only');
    }
    if (action === 'list' && values.consumer !== undefined) {
      throw new UsageError('consumers list takes no --consumer: it lists them all');
    }
    if (action !== 'list' && values.consumer === undefined) {
      throw new UsageError(`consumers ${action} needs --consumer <name>`);
    }
    const name =
      values.consumer === undefined
        ? undefined
        : usageOf(ManualConsumerInputError, () => checkConsumerName(values.consumer ?? ''));
    const owner =
      values.owner === undefined
        ? undefined
        : usageOf(ManualConsumerInputError, () => checkFreeText('--owner', 'owner', values.owner ?? '', OWNER_MAX));
    const note =
      values.note === undefined
        ? undefined
        : usageOf(ManualConsumerInputError, () => checkFreeText('--note', 'note', values.note ?? '', NOTE_MAX));
    const context = secretCommandContext(values, io);
    const open = await openRegistry(context);
    const arn = open.secret.arn;

    if (action === 'list') {
      const consumers = await registryCall(open, 'dynamodb:Query', () => open.registry.consumers(arn));
      if (values.json) {
        println(io.stdout, JSON.stringify({ secretArn: arn, table: open.registry.tableName, consumers }, null, 2));
      } else printList(io, arn, consumers);
      return EXIT.ok;
    }
    const by = await callerArn(context);
    const at = new Date(context.runtime.clock.now()).toISOString();
    if (action === 'add') {
      await registryCall(open, 'dynamodb:PutItem', () =>
        open.registry.add(arn, {
          name: name ?? '',
          addedAt: at,
          addedBy: by,
          ...(owner ? { owner } : {}),
          ...(note ? { note } : {}),
        }),
      );
      println(values.json ? io.stderr : io.stdout, `added manual consumer "${name ?? ''}" to ${arn} (by ${by})`);
      println(
        values.json ? io.stderr : io.stdout,
        'From the next rotation on, the new key is promoted only after it is confirmed for this consumer too.',
      );
    } else {
      await registryCall(open, 'dynamodb:DeleteItem', () => open.registry.remove(arn, name ?? '', by, at));
      println(values.json ? io.stderr : io.stdout, `removed manual consumer "${name ?? ''}" from ${arn} (by ${by})`);
    }
    if (values.json) {
      const consumers = await registryCall(open, 'dynamodb:Query', () => open.registry.consumers(arn));
      println(io.stdout, JSON.stringify({ secretArn: arn, table: open.registry.tableName, consumers }, null, 2));
    }
    return EXIT.ok;
  },
};

function printList(io: Io, arn: string, consumers: readonly ManualConsumer[]): void {
  if (consumers.length === 0) {
    println(io.stdout, `No manual consumers are registered for ${arn}: rotations wait for the SSM targets only.`);
    return;
  }
  println(io.stdout, `Manual consumers of ${arn}:`);
  for (const line of table(
    consumers.map((c) => [c.name, c.owner ?? '-', c.note ?? '', `added ${c.addedAt} by ${c.addedBy}`]),
  )) {
    println(io.stdout, line);
  }
}
