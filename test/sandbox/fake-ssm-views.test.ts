/** How the fake SSM lists commands and invocations (src/sandbox/fake-ssm-views.ts): pages, tokens, filters. */
import { InvalidNextToken } from '@aws-sdk/client-ssm';
import { DEFAULT_FAKE_DOCUMENT } from '../../src/sandbox/fake-ssm-validation';
import { send, sendAndRun, setup } from './fake-ssm-fixture';

describe('FakeSsm listings', () => {
  it('pages invocations 50 at a time with NextToken and filters by one detailed status', async () => {
    // Prepare
    const f = setup(120);
    f.hosts.slice(0, 70).forEach((h) => (h.behaviour = { kind: 'undeliverable' }));
    const id = await sendAndRun(f);

    // Act
    const first = await f.fake.listCommandInvocations({
      CommandId: id,
      Filters: [{ key: 'Status', value: 'Undeliverable' }],
      MaxResults: 50,
    });
    const second = await f.fake.listCommandInvocations({
      CommandId: id,
      Filters: [{ key: 'Status', value: 'Undeliverable' }],
      MaxResults: 50,
      NextToken: first.NextToken,
    });
    const failed = await f.fake.listCommandInvocations({
      CommandId: id,
      Filters: [{ key: 'Status', value: 'Failed' }],
    });

    // Assess
    expect(first.CommandInvocations).toHaveLength(50);
    expect(second.CommandInvocations).toHaveLength(20);
    expect(second.NextToken).toBeUndefined();
    expect(second.CommandInvocations![0]).toMatchObject({ Status: 'Failed', StatusDetails: 'Undeliverable' });
    expect(failed.CommandInvocations).toHaveLength(0);
  });

  it('refuses a page size above 50, a foreign token and two Status filters in one call', async () => {
    const f = setup(1);
    const id = await sendAndRun(f);
    await expect(f.fake.listCommands({ MaxResults: 51 })).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(f.fake.listCommands({ NextToken: 'bm9wZQ==' })).rejects.toBeInstanceOf(InvalidNextToken);
    await expect(
      f.fake.listCommandInvocations({
        CommandId: id,
        Filters: [
          { key: 'Status', value: 'Failed' },
          { key: 'Status', value: 'Undeliverable' },
        ],
      }),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('filters commands by document and InvokedAfter, newest first', async () => {
    // Prepare
    const f = setup(1, { documents: [{ name: DEFAULT_FAKE_DOCUMENT }, { name: 'other-doc' }] });
    const a = await sendAndRun(f, send(), 60_000);
    await sendAndRun(f, send({ DocumentName: 'other-doc' }), 60_000);
    const c = await sendAndRun(f, send(), 60_000);

    // Act
    const all = await f.fake.listCommands({ Filters: [{ key: 'DocumentName', value: DEFAULT_FAKE_DOCUMENT }] });
    const recent = await f.fake.listCommands({
      Filters: [
        { key: 'DocumentName', value: DEFAULT_FAKE_DOCUMENT },
        { key: 'InvokedAfter', value: new Date(90_000).toISOString() },
      ],
    });

    // Assess
    expect(all.Commands?.map((x) => x.CommandId)).toEqual([c, a]);
    expect(recent.Commands?.map((x) => x.CommandId)).toEqual([c]);
  });
});
