import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ResourceNotFoundException,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
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

/** One item. */
export type Item = Record<string, AttributeValue>;
/** A string attribute. */
export const S = (value: string): AttributeValue => ({ S: value });
/** Sort-key prefixes of the item kinds. */
export const SORT_KEY = { consumer: 'consumer#', rotation: 'rotation#', confirmation: 'confirmation#' } as const;
const CONSUMER = SORT_KEY.consumer;
const ROTATION = SORT_KEY.rotation;
const CONFIRMATION = SORT_KEY.confirmation;

/**
 * The manual-consumer registry in one DynamoDB table (partition key `pk` = the secret's ARN, sort key `sk`):
 * `consumer#<name>` items, one `rotation#<version>` item per version the function waits on, and
 * `confirmation#<version>#<name>` items. Only names, contacts, notes, principals and times: never a credential.
 * The function uses this class (reads, wait state); the CLI's writes are in {@link ConsumerRegistryAdmin}, kept
 * out of the Lambda bundle.
 */
export class ConsumerRegistry implements ManualConsumerRegistry {
  constructor(
    protected readonly client: DynamoDBClient,
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
    return (await this.query(secretArn, confirmationSortKey(versionId))).map((i) => ({
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

  protected async call<T>(send: () => Promise<T>): Promise<T> {
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

/** The sort key of `consumer`'s confirmation of a version; without `consumer`, the prefix of all of that version's. */
export function confirmationSortKey(versionId: string, consumer = ''): string {
  return `${CONFIRMATION}${versionId}#${consumer}`;
}

/** The primary key of an item. */
export function key(secretArn: string, sk: string): Item {
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

/** The refusal for a name that is not registered. */
export function unknownConsumer(name: string): ConsumerRegistryError {
  return new ConsumerRegistryError(
    'unknown-consumer',
    `no manual consumer named "${name}" is registered for this secret: check the name with ` +
      '"ses-smtp-rotation consumers list --secret-id <secret>"',
  );
}
