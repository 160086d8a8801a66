import {
  ConditionalCheckFailedException,
  ResourceNotFoundException,
  TransactionCanceledException,
  type AttributeValue,
  type DeleteItemCommandInput,
  type DeleteItemCommandOutput,
  type GetItemCommandInput,
  type GetItemCommandOutput,
  type PutItemCommandInput,
  type PutItemCommandOutput,
  type QueryCommandInput,
  type QueryCommandOutput,
  type TransactWriteItemsCommandInput,
  type TransactWriteItemsCommandOutput,
  type UpdateItemCommandInput,
  type UpdateItemCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { evaluateCondition, parseSetUpdate, type ExpressionContext, type Item } from './dynamodb-expressions';
import { meta, type Output } from './sdk-output';

interface Table {
  readonly partitionKey: string;
  readonly sortKey: string;
  /** By `partition\u0000sort`. */
  readonly items: Map<string, Item>;
}

/** What the fake's own callers see: a table's items, for assertions and leak scans. */
export interface TableDump {
  readonly name: string;
  readonly items: readonly Item[];
}

/**
 * A stateful fake of DynamoDB for tables with a string partition key and a string sort key, with the semantics the
 * manual-consumer registry depends on: conditional writes failing with ConditionalCheckFailedException,
 * TransactWriteItems all-or-nothing with per-item cancellation reasons, Query in sort-key order with Limit and
 * LastEvaluatedKey/ExclusiveStartKey pagination, and ResourceNotFoundException for a table that does not exist.
 */
export class FakeDynamoDb {
  private readonly tables = new Map<string, Table>();

  /** Creates an (empty) table, as the construct does. */
  createTable(name: string, partitionKey = 'pk', sortKey = 'sk'): void {
    this.tables.set(name, { partitionKey, sortKey, items: new Map() });
  }

  /** Removes a table (a deleted or never-deployed registry). */
  deleteTable(name: string): void {
    this.tables.delete(name);
  }

  /** Every table with its items. */
  dump(): TableDump[] {
    return [...this.tables].map(([name, t]) => ({ name, items: [...t.items.values()] }));
  }

  getItem(input: GetItemCommandInput): Output<GetItemCommandOutput> {
    const table = this.table(input.TableName);
    const item = table.items.get(this.keyOf(table, input.Key));
    return item ? { Item: structuredClone(item) } : {};
  }

  putItem(input: PutItemCommandInput): Output<PutItemCommandOutput> {
    const table = this.table(input.TableName);
    const key = this.keyOf(table, input.Item);
    this.check(table.items.get(key), input.ConditionExpression, context(input));
    table.items.set(key, structuredClone(input.Item ?? {}));
    return {};
  }

  updateItem(input: UpdateItemCommandInput): Output<UpdateItemCommandOutput> {
    const table = this.table(input.TableName);
    const key = this.keyOf(table, input.Key);
    const existing = table.items.get(key);
    this.check(existing, input.ConditionExpression, context(input));
    const updated: Item = { ...structuredClone(existing ?? {}), ...structuredClone(input.Key ?? {}) };
    for (const [attribute, value] of parseSetUpdate(input.UpdateExpression ?? '', context(input))) {
      updated[attribute] = structuredClone(value);
    }
    table.items.set(key, updated);
    return input.ReturnValues === 'ALL_NEW' ? { Attributes: structuredClone(updated) } : {};
  }

  deleteItem(input: DeleteItemCommandInput): Output<DeleteItemCommandOutput> {
    const table = this.table(input.TableName);
    const key = this.keyOf(table, input.Key);
    const existing = table.items.get(key);
    this.check(existing, input.ConditionExpression, context(input));
    table.items.delete(key);
    return input.ReturnValues === 'ALL_OLD' && existing ? { Attributes: existing } : {};
  }

  query(input: QueryCommandInput): Output<QueryCommandOutput> {
    const table = this.table(input.TableName);
    const ctx = context(input);
    const keyCondition = input.KeyConditionExpression ?? '';
    const start = input.ExclusiveStartKey?.[table.sortKey]?.S;
    const startPartition = input.ExclusiveStartKey?.[table.partitionKey]?.S;
    const matching = [...table.items.values()]
      .filter((item) => evaluateCondition(keyCondition, item, ctx))
      .filter((item) => start === undefined || sortOf(table, item) > start)
      .sort((a, b) => (sortOf(table, a) < sortOf(table, b) ? -1 : 1));
    if (start !== undefined && startPartition === undefined)
      throw new Error('ExclusiveStartKey lacks the partition key');
    const limit = input.Limit ?? Number.POSITIVE_INFINITY;
    const page = matching.slice(0, limit);
    const last = page.at(-1);
    // DynamoDB stops at Limit and returns LastEvaluatedKey even when nothing follows; callers must loop until absent.
    const more = page.length === limit && last !== undefined;
    return {
      Items: page.map((i) => structuredClone(i)),
      Count: page.length,
      ...(more
        ? {
            LastEvaluatedKey: {
              [table.partitionKey]: last[table.partitionKey] as AttributeValue,
              [table.sortKey]: last[table.sortKey] as AttributeValue,
            },
          }
        : {}),
    };
  }

  transactWriteItems(input: TransactWriteItemsCommandInput): Output<TransactWriteItemsCommandOutput> {
    const actions = input.TransactItems ?? [];
    // Check every condition first; apply nothing unless all hold (all-or-nothing).
    const reasons = actions.map((action) => {
      const op = action.ConditionCheck ?? action.Put ?? action.Delete ?? action.Update;
      if (!op) throw new Error('empty TransactWriteItems entry');
      const table = this.table(op.TableName);
      const key = this.keyOf(table, 'Item' in op ? op.Item : op.Key);
      const holds =
        op.ConditionExpression === undefined ||
        evaluateCondition(op.ConditionExpression, table.items.get(key), context(op));
      return holds ? { Code: 'None' } : { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' };
    });
    if (reasons.some((r) => r.Code !== 'None')) {
      throw new TransactionCanceledException({
        message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
        CancellationReasons: reasons,
        ...meta,
      });
    }
    for (const action of actions) {
      if (action.Put) this.putItem({ ...action.Put, ConditionExpression: undefined });
      if (action.Delete) this.deleteItem({ ...action.Delete, ConditionExpression: undefined });
      if (action.Update) this.updateItem({ ...action.Update, ConditionExpression: undefined });
    }
    return {};
  }

  private table(name: string | undefined): Table {
    const table = name === undefined ? undefined : this.tables.get(name);
    if (!table) {
      throw new ResourceNotFoundException({ message: 'Requested resource not found', ...meta });
    }
    return table;
  }

  private keyOf(table: Table, item: Record<string, AttributeValue> | undefined): string {
    const partition = item?.[table.partitionKey]?.S;
    const sort = item?.[table.sortKey]?.S;
    if (partition === undefined || sort === undefined) {
      throw new Error(`ValidationException: The provided key element does not match the schema`);
    }
    return `${partition}\u0000${sort}`;
  }

  private check(existing: Item | undefined, condition: string | undefined, ctx: ExpressionContext): void {
    if (condition !== undefined && !evaluateCondition(condition, existing, ctx)) {
      throw new ConditionalCheckFailedException({ message: 'The conditional request failed', ...meta });
    }
  }
}

function sortOf(table: Table, item: Item): string {
  return item[table.sortKey]?.S ?? '';
}

function context(input: {
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
}): ExpressionContext {
  return {
    ...(input.ExpressionAttributeNames ? { names: input.ExpressionAttributeNames } : {}),
    ...(input.ExpressionAttributeValues ? { values: input.ExpressionAttributeValues } : {}),
  };
}
