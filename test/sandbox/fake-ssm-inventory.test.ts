import { makeHosts } from '../../src/sandbox/fake-fleet-hosts';
import { FakeSsmInventory } from '../../src/sandbox/fake-ssm-inventory';

describe('FakeSsmInventory', () => {
  it('pages DescribeInstanceInformation 50 at a time over the tag-matching hosts', () => {
    const hosts = [...makeHosts(60), ...makeHosts(2, { firstIndex: 100, tags: { Role: 'other' } })];
    const inventory = new FakeSsmInventory(() => hosts);
    const filters = [{ Key: 'tag:Role', Values: ['smtp-relay'] }];

    const first = inventory.describeInstanceInformation({ Filters: filters });
    const second = inventory.describeInstanceInformation({ Filters: filters, NextToken: first.NextToken });

    expect(first.InstanceInformationList).toHaveLength(50);
    expect(second.InstanceInformationList).toHaveLength(10);
    expect(second.NextToken).toBeUndefined();
  });

  it('reports an offline host as ConnectionLost and filters by id', () => {
    const hosts = makeHosts(2);
    hosts[1]!.online = false;
    const inventory = new FakeSsmInventory(() => hosts);

    const out = inventory.describeInstanceInformation({
      Filters: [{ Key: 'InstanceIds', Values: [hosts[1]!.instanceId] }],
    });

    expect(out.InstanceInformationList).toEqual([
      expect.objectContaining({
        InstanceId: hosts[1]!.instanceId,
        PingStatus: 'ConnectionLost',
        PlatformType: 'Linux',
      }),
    ]);
  });

  it('refuses an unknown filter key and a missing document as SSM does', () => {
    const inventory = new FakeSsmInventory(() => makeHosts(1), ['doc-a']);

    expect(() => inventory.describeInstanceInformation({ Filters: [{ Key: 'Colour', Values: ['x'] }] })).toThrow(
      'Invalid filter key Colour',
    );
    expect(inventory.describeDocument({ Name: 'doc-a' }).Document?.Name).toBe('doc-a');
    expect(() => inventory.describeDocument({ Name: 'doc-b' })).toThrow('Document doc-b does not exist.');
  });
});
