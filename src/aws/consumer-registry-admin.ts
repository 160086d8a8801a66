import { randomUUID } from 'node:crypto';
import {
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { ManualConfirmation, ManualConsumer } from '../core/manual-consumer';
import {
  confirmationSortKey,
  ConsumerRegistry,
  ConsumerRegistryError,
  key,
  S,
  SORT_KEY,
  unknownConsumer,
  type Item,
} from './consumer-registry';

const CONSUMER = SORT_KEY.consumer;
const ROTATION = SORT_KEY.rotation;

/** The item of a registered consumer (what {@link ConsumerRegistry.consumers} reads back). */
export function consumerItem(secretArn: string, consumer: ManualConsumer): Item {
  return {
    ...key(secretArn, CONSUMER + consumer.name),
    name: S(consumer.name),
    addedAt: S(consumer.addedAt),
    addedBy: S(consumer.addedBy),
    ...(consumer.owner ? { owner: S(consumer.owner) } : {}),
    ...(consumer.note ? { note: S(consumer.note) } : {}),
  };
}

/**
 * The registry's writes people make through the CLI: add and remove consumers, confirm a version. Each is one
 * conditional transaction, so a refusal changes nothing. Not part of the Lambda bundle.
 */
export class ConsumerRegistryAdmin extends ConsumerRegistry {
  /**
   * Registers a consumer, with an audit record of the change in the same transaction.
   * @throws ConsumerRegistryError `exists` when the name is taken
   */
  async add(secretArn: string, consumer: ManualConsumer): Promise<void> {
    const failed = await this.transact([
      {
        Put: {
          TableName: this.tableName,
          Item: consumerItem(secretArn, consumer),
          ConditionExpression: 'attribute_not_exists(sk)',
        },
      },
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
            ...key(secretArn, confirmationSortKey(versionId, consumer)),
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
}
