import { ResourceNotFoundException, InvalidParameterException } from '@aws-sdk/client-cloudwatch-logs';
import { compilePattern, FakeCloudWatchLogs } from '../../src/sandbox/fake-cloudwatch-logs';
import { VirtualClock } from '../../src/sandbox/virtual-clock';

const GROUP = '/aws/lambda/ses-smtp-rotation';

function logsWith(lines: Record<string, unknown>[]) {
  const clock = new VirtualClock();
  const logs = new FakeCloudWatchLogs(clock);
  logs.createLogGroup(GROUP);
  for (const line of lines) {
    logs.put(GROUP, 'stream', JSON.stringify(line));
    clock.advance(1_000);
  }
  return { logs, clock };
}

describe('FakeCloudWatchLogs', () => {
  it('answers ResourceNotFoundException for a missing group', () => {
    const { logs } = logsWith([]);
    expect(() => logs.filterLogEvents({ logGroupName: '/aws/lambda/other' })).toThrow(ResourceNotFoundException);
  });

  it('pages the matching events in timestamp order with nextToken', () => {
    // Prepare
    const { logs } = logsWith([1, 2, 3, 4, 5].map((n) => ({ message: 'step failed', versionId: 'v1', n })));
    logs.pageSize = 2;

    // Act
    const pages: number[][] = [];
    let nextToken: string | undefined;
    do {
      const out = logs.filterLogEvents({ logGroupName: GROUP, nextToken });
      pages.push((out.events ?? []).map((e) => (JSON.parse(e.message ?? '{}') as { n: number }).n));
      nextToken = out.nextToken;
    } while (nextToken);

    // Assess
    expect(pages).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('filters by time and by a JSON pattern with && and ||', () => {
    const { logs, clock } = logsWith([
      { message: 'step completed', versionId: 'v1' },
      { message: 'step failed', versionId: 'v2' },
      { message: 'step failed', versionId: 'v1' },
      { message: 'minted access key', versionId: 'v1' },
    ]);
    const pattern = '{ $.versionId = "v1" && ($.message = "step failed" || $.message = "step completed") }';

    const all = logs.filterLogEvents({ logGroupName: GROUP, filterPattern: pattern });
    const late = logs.filterLogEvents({ logGroupName: GROUP, filterPattern: pattern, startTime: clock.now() - 2_500 });

    expect(all.events?.map((e) => JSON.parse(e.message ?? '').message)).toEqual(['step completed', 'step failed']);
    expect(late.events).toHaveLength(1);
  });

  it('matches term patterns and refuses what it does not model', () => {
    expect(compilePattern('"step failed" v1')('{"message":"step failed","versionId":"v1"}')).toBe(true);
    expect(compilePattern('"step failed" v2')('{"message":"step failed","versionId":"v1"}')).toBe(false);
    expect(compilePattern('{ $.a = "x" }')('not json')).toBe(false);
    expect(() => compilePattern('{ $.latency > 5 }')).toThrow(InvalidParameterException);
    expect(() => compilePattern('?ERROR ?WARN')).toThrow(InvalidParameterException);
  });
});
