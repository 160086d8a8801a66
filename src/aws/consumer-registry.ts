import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ResourceNotFoundException,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
  type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { SesSmtpRotationError } from '../core/errors';
import type { ManualConfirmation, ManualConsumer, ManualWaitState } from '../core/manual-consumer';
import type { ManualConsumerRegistry } from '../rotation/ports';

/** Why a registry operation was refused; nothing was changed. */
export type RegistryProblem = 'missing-table' | 'exists' | 'unknown-consumer' | 'already-confirmed' | 'not-asked';

/** A refused registry operation, with a message naming the fix. */
export class ConsumerRegistryError extends SesSmtpRotationError {
  constructor(
    readonly problem: RegistryProblem,
    message: string,
  ) {
    super(message);
  }
}

type Item = Record<string, AttributeValue>;
const S = (value: string): AttributeValue => ({ S: value });
const CONSUMER = 'consumer#';
const ROTATION = 'rotation#';
const CONFIRMATION = 'confirmation#';

/**
 * The manual-consumer registry in one DynamoDB table (partition key `pk` = the secret's ARN, sort key `sk`):
 * `consumer#<name>` items, one `rotation#<version>` item per version the function waits on, and
 * `confirmation#<version>#<name>` items. Only names, contacts, notes, principals and times: never a credential.
 * Used by the function (read, wait state) and by the CLI (add, remove, confirm).
 */
export class ConsumerRegistry implements ManualConsumerRegistry {
  constructor(
    private readonly client: DynamoDBClient,
    readonly tableName: string,
  ) {}

  async consumers(secretArn: string): Promise<ManualConsumer[]> {
    return (await this.query(secretArn, CONSUMER)).map((i) => ({
      name: str(i, 'name'),
      addedAt: str(i, 'addedAt'),
      addedBy: str(i, 'addedBy'),
      ...opt(i, 'owner'),
      ...opt(i, 'note'),
    }));
  }

  async confirmations(secretArn: string, versionId: string): Promise<ManualConfirmation[]> {
    return (await this.query(secretArn, `${CONFIRMATION}${versionId}#`)).map((i) => ({
      consumer: str(i, 'consumer'),
      versionId: str(i, 'versionId'),
      confirmedBy: str(i, 'confirmedBy'),
      confirmedAt: str(i, 'confirmedAt'),
      ...opt(i, 'note'),
    }));
  }

  /** The wait state of one version, if the function recorded one. */
  async waitState(secretArn: string, versionId: string): Promise<ManualWaitState | undefined> {
    const out = await this.call(() =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: key(secretArn, ROTATION + versionId),
          ConsistentRead: true,
        }),
      ),
    );
    return out.Item ? waitOf(out.Item) : undefined;
  }

  async startWait(secretArn: string, versionId: string, at: Date): Promise<ManualWaitState> {
    try {
      await this.call(() =>
        this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: {
              ...key(secretArn, ROTATION + versionId),
              versionId: S(versionId),
              waitingSince: S(at.toISOString()),
            },
            ConditionExpression: 'attribute_not_exists(sk)',
          }),
        ),
      );
      return { versionId, waitingSince: at.toISOString() };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await this.waitState(secretArn, versionId);
      if (!existing) throw error;
      return existing;
    }
  }

  async markWait(
    secretArn: string,
    versionId: string,
    field: 'notifiedAt' | 'lastReminderAt' | 'overdueAt',
    at: Date,
    expected: string | undefined,
  ): Promise<boolean> {
    try {
      await this.call(() =>
        this.client.send(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key: key(secretArn, ROTATION + versionId),
            UpdateExpression: 'SET #f = :at',
            ConditionExpression:
              expected === undefined ? 'attribute_exists(sk) AND attribute_not_exists(#f)' : '#f = :expected',
            ExpressionAttributeNames: { '#f': field },
            ExpressionAttributeValues: {
              ':at': S(at.toISOString()),
              ...(expected ? { ':expected': S(expected) } : {}),
            },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Registers a consumer, with an audit record of the change in the same transaction.
   * @throws ConsumerRegistryError `exists` when the name is taken
   */
  async add(secretArn: string, consumer: ManualConsumer): Promise<void> {
    const item: Item = {
      ...key(secretArn, CONSUMER + consumer.name),
      name: S(consumer.name),
      addedAt: S(consumer.addedAt),
      addedBy: S(consumer.addedBy),
      ...(consumer.owner ? { owner: S(consumer.owner) } : {}),
      ...(consumer.note ? { note: S(consumer.note) } : {}),
    };
    const failed = await this.transact([
      { Put: { TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(sk)' } },
      this.change(secretArn, 'add', consumer.name, consumer.addedBy, consumer.addedAt),
    ]);
    if (failed[0]) {
      throw new ConsumerRegistryError(
        'exists',
        `a manual consumer named "${consumer.name}" is already registered for this secret: choose another name, ` +
          'or remove it first',
      );
    }
  }

  /**
   * Removes a consumer, with an audit record; its confirmations stay as audit records (they no longer count).
   * @throws ConsumerRegistryError `unknown-consumer`
   */
  async remove(secretArn: string, name: string, by: string, at: string): Promise<void> {
    const failed = await this.transact([
      {
        Delete: {
          TableName: this.tableName,
          Key: key(secretArn, CONSUMER + name),
          ConditionExpression: 'attribute_exists(sk)',
        },
      },
      this.change(secretArn, 'remove', name, by, at),
    ]);
    if (failed[0]) throw unknownConsumer(name);
  }

  /** One audit record of a registry change (`change#<time>#<random>`: two changes in one millisecond both stay). */
  private change(secretArn: string, action: 'add' | 'remove', name: string, by: string, at: string) {
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          ...key(secretArn, `change#${at}#${randomUUID()}`),
          action: S(action),
          name: S(name),
          by: S(by),
          at: S(at),
        },
      },
    };
  }

  /** Runs a transaction; returns, per item, whether its condition failed (all false = written). */
  private async transact(items: NonNullable<TransactWriteItemsCommandInput['TransactItems']>): Promise<boolean[]> {
    try {
      await this.call(() => this.client.send(new TransactWriteItemsCommand({ TransactItems: items })));
      return items.map(() => false);
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const failed = (error.CancellationReasons ?? []).map((r) => r.Code === 'ConditionalCheckFailed');
      if (!failed.some(Boolean)) throw error;
      return failed;
    }
  }

  /**
   * Records a confirmation in one transaction: the consumer is registered, the function asked for this version,
   * and this consumer has not confirmed this version yet; otherwise nothing is written.
   * @throws ConsumerRegistryError `unknown-consumer`, `not-asked` or `already-confirmed`
   */
  async confirm(secretArn: string, confirmation: ManualConfirmation): Promise<void> {
    const { consumer, versionId } = confirmation;
    const failed = await this.transact([
      {
        ConditionCheck: {
          TableName: this.tableName,
          Key: key(secretArn, CONSUMER + consumer),
          ConditionExpression: 'attribute_exists(sk)',
        },
      },
      {
        ConditionCheck: {
          TableName: this.tableName,
          Key: key(secretArn, ROTATION + versionId),
          ConditionExpression: 'attribute_exists(sk)',
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...key(secretArn, `${CONFIRMATION}${versionId}#${consumer}`),
            consumer: S(consumer),
            versionId: S(versionId),
            confirmedBy: S(confirmation.confirmedBy),
            confirmedAt: S(confirmation.confirmedAt),
            ...(confirmation.note ? { note: S(confirmation.note) } : {}),
          },
          ConditionExpression: 'attribute_not_exists(sk)',
        },
      },
    ]);
    if (failed[0]) throw unknownConsumer(consumer);
    if (failed[1]) {
      throw new ConsumerRegistryError(
        'not-asked',
        `version ${versionId} has not asked for manual confirmation yet (its push to the SSM targets is not ` +
          'confirmed): wait for the notification, then confirm',
      );
    }
    if (failed[2]) {
      throw new ConsumerRegistryError(
        'already-confirmed',
        `"${consumer}" already confirmed version ${versionId}: nothing to do (see status for who and when)`,
      );
    }
  }

  private async query(secretArn: string, prefix: string): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const out = await this.call(() =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
            ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
            ExpressionAttributeValues: { ':pk': S(secretArn), ':prefix': S(prefix) },
            ConsistentRead: true,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  private async call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      if (error instanceof ResourceNotFoundException) {
        throw new ConsumerRegistryError(
          'missing-table',
          `the manual-consumer table ${this.tableName} does not exist (deleted, or another region/account): ` +
            'deploy the construct with manual consumers enabled, or remove MANUAL_CONSUMERS_TABLE from the function ' +
            '(until then no rotation is promoted: it cannot know who still waits for the new key)',
        );
      }
      throw error;
    }
  }
}

function key(secretArn: string, sk: string): Item {
  return { pk: S(secretArn), sk: S(sk) };
}

function str(item: Item, field: string): string {
  return item[field]?.S ?? '';
}

function opt<F extends string>(item: Item, field: F): Partial<Record<F, string>> {
  const value = item[field]?.S;
  return (value === undefined ? {} : { [field]: value }) as Partial<Record<F, string>>;
}

function waitOf(item: Item): ManualWaitState {
  return {
    versionId: str(item, 'versionId'),
    waitingSince: str(item, 'waitingSince'),
    ...opt(item, 'notifiedAt'),
    ...opt(item, 'lastReminderAt'),
    ...opt(item, 'overdueAt'),
  };
}

function unknownConsumer(name: string): ConsumerRegistryError {
  return new ConsumerRegistryError(
    'unknown-consumer',
    `no manual consumer named "${name}" is registered for this secret: check the name with ` +
      '"ses-smtp-rotation consumers list --secret-id <secret>"',
  );
}
