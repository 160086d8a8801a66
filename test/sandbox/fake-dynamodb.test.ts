import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  ResourceNotFoundException,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { CallRecorder } from '../../src/sandbox/call-recorder';
import { FakeDynamoDb } from '../../src/sandbox/fake-dynamodb';
import { wireDynamoDb } from '../../src/sandbox/wire';

const TABLE = 'registry';

function setup() {
  const fake = new FakeDynamoDb();
  fake.createTable(TABLE);
  const stub = wireDynamoDb(fake, new CallRecorder());
  const client = new DynamoDBClient({ region: 'eu-west-1' });
  return { fake, client, restore: () => stub.restore() };
}

const item = (sk: string, extra: Record<string, AttributeValue> = {}) => ({
  pk: { S: 'secret' },
  sk: { S: sk },
  ...extra,
});

describe('FakeDynamoDb', () => {
  it('refuses a conditional put whose condition fails, with ConditionalCheckFailedException, and changes nothing', async () => {
    // Prepare
    const { fake, client, restore } = setup();
    await client.send(new PutItemCommand({ TableName: TABLE, Item: item('a', { v: { S: '1' } }) }));

    // Act
    const second = client.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: item('a', { v: { S: '2' } }),
        ConditionExpression: 'attribute_not_exists(sk)',
      }),
    );

    // Assess
    await expect(second).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    expect(fake.dump()[0]?.items).toEqual([item('a', { v: { S: '1' } })]);
    restore();
  });

  it('pages a query in sort-key order with Limit and LastEvaluatedKey', async () => {
    // Prepare
    const { client, restore } = setup();
    for (const sk of ['c#3', 'c#1', 'x#9', 'c#2']) {
      await client.send(new PutItemCommand({ TableName: TABLE, Item: item(sk) }));
    }

    const pagesOf = async (limit: number) => {
      const pages: string[][] = [];
      let start: Record<string, AttributeValue> | undefined;
      do {
        const out = await client.send(
          new QueryCommand({
            TableName: TABLE,
            KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :p)',
            ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
            ExpressionAttributeValues: { ':pk': { S: 'secret' }, ':p': { S: 'c#' } },
            Limit: limit,
            ExclusiveStartKey: start,
          }),
        );
        pages.push((out.Items ?? []).map((i) => i.sk?.S ?? ''));
        start = out.LastEvaluatedKey;
      } while (start);
      return pages;
    };

    // Act
    const byTwo = await pagesOf(2);
    const byThree = await pagesOf(3);

    // Assess: a full last page still carries a LastEvaluatedKey, as DynamoDB's does; the page after it is empty
    expect(byTwo).toEqual([['c#1', 'c#2'], ['c#3']]);
    expect(byThree).toEqual([['c#1', 'c#2', 'c#3'], []]);
    restore();
  });

  it('applies nothing of a transaction when one condition fails, and names which one in the reasons', async () => {
    // Prepare
    const { fake, client, restore } = setup();

    // Act
    const attempt = client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: TABLE, Item: item('new'), ConditionExpression: 'attribute_not_exists(sk)' } },
          { ConditionCheck: { TableName: TABLE, Key: item('missing'), ConditionExpression: 'attribute_exists(sk)' } },
        ],
      }),
    );

    // Assess
    const error = (await attempt.catch((e: unknown) => e)) as TransactionCanceledException;
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect(error.CancellationReasons?.map((r) => r.Code)).toEqual(['None', 'ConditionalCheckFailed']);
    expect(fake.dump()[0]?.items).toEqual([]);
    restore();
  });

  it('updates with SET under a condition on an attribute value', async () => {
    // Prepare
    const { fake, client, restore } = setup();
    await client.send(new PutItemCommand({ TableName: TABLE, Item: item('w', { state: { S: 'waiting' } }) }));
    const update = (expected: string) =>
      client.send(
        new UpdateItemCommand({
          TableName: TABLE,
          Key: item('w'),
          UpdateExpression: 'SET #s = :new',
          ConditionExpression: '#s = :old',
          ExpressionAttributeNames: { '#s': 'state' },
          ExpressionAttributeValues: { ':new': { S: 'done' }, ':old': { S: expected } },
        }),
      );

    // Act
    await update('waiting');
    const again = update('waiting');

    // Assess
    await expect(again).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    expect(fake.dump()[0]?.items[0]?.state).toEqual({ S: 'done' });
    restore();
  });

  it('answers ResourceNotFoundException for a table that does not exist', async () => {
    const { client, restore } = setup();
    await expect(client.send(new PutItemCommand({ TableName: 'gone', Item: item('a') }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    restore();
  });
});
