/**
 * The inventory half of the fake SSM, for `preflight`: DescribeInstanceInformation over the sandbox's simulated
 * hosts (platform, tags, Online / ConnectionLost) and DescribeDocument over a mutable set of document names.
 * Kept apart from the Run Command fake: it only reads the hosts, it never runs anything.
 */
import {
  InvalidDocument,
  InvalidFilterKey,
  type DescribeDocumentCommandInput,
  type DescribeDocumentCommandOutput,
  type DescribeInstanceInformationCommandInput,
  type DescribeInstanceInformationCommandOutput,
  type InstanceInformation,
  type InstanceInformationStringFilter,
} from '@aws-sdk/client-ssm';
import type { FakeHost } from './fake-fleet-hosts';
import { DEFAULT_FAKE_DOCUMENT, sdkError, validationError } from './fake-ssm-validation';
import { page } from './fake-ssm-views';
import type { Output } from './sdk-output';

/** DescribeInstanceInformation's page size bounds (5–50; default 10 in the API, 50 here for fewer calls). */
const PAGE_MIN = 5;
const PAGE_MAX = 50;

const PLATFORM_NAME: Record<FakeHost['platform'], string> = {
  Linux: 'Amazon Linux',
  Windows: 'Microsoft Windows Server 2022 Datacenter',
  MacOS: 'macOS',
};

/** Fake SSM inventory over a live list of hosts (hosts added or changed later are seen at the next call). */
export class FakeSsmInventory {
  /** Names of the documents that exist; delete one to simulate a missing document. */
  readonly documents: Set<string>;

  constructor(
    private readonly hosts: () => readonly FakeHost[],
    documents: readonly string[] = [DEFAULT_FAKE_DOCUMENT],
  ) {
    this.documents = new Set(documents);
  }

  describeInstanceInformation(
    input: DescribeInstanceInformationCommandInput,
  ): Output<DescribeInstanceInformationCommandOutput> {
    const max = input.MaxResults ?? PAGE_MAX;
    if (!Number.isInteger(max) || max < PAGE_MIN || max > PAGE_MAX) {
      throw validationError(`MaxResults must be between ${PAGE_MIN} and ${PAGE_MAX}.`);
    }
    const filters = [
      ...(input.Filters ?? []),
      ...(input.InstanceInformationFilterList ?? []).map((f) => ({ Key: f.key, Values: f.valueSet })),
    ];
    const rows = this.hosts().filter((host) => filters.every((f) => matches(host, f)));
    return page(rows, input.NextToken, max, 'DescribeInstanceInformation', row, 'InstanceInformationList');
  }

  describeDocument(input: DescribeDocumentCommandInput): Output<DescribeDocumentCommandOutput> {
    const nameOrArn = input.Name ?? '';
    const name = nameOrArn.includes(':document/') ? nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1) : nameOrArn;
    if (!this.documents.has(name)) throw sdkError(InvalidDocument, `Document ${nameOrArn} does not exist.`);
    return {
      Document: {
        Name: name,
        DocumentType: 'Command',
        SchemaVersion: '2.2',
        Status: 'Active',
        DocumentVersion: input.DocumentVersion ?? '1',
        PlatformTypes: ['Linux', 'Windows'],
      },
    };
  }
}

function matches(host: FakeHost, filter: InstanceInformationStringFilter): boolean {
  const key = filter.Key ?? '';
  const values = filter.Values ?? [];
  if (key.startsWith('tag:')) {
    const value = host.tags[key.slice(4)];
    return value !== undefined && values.includes(value);
  }
  switch (key) {
    case 'tag-key':
      return values.some((v) => host.tags[v] !== undefined);
    case 'InstanceIds':
      return values.includes(host.instanceId);
    case 'PingStatus':
      return values.includes(pingStatus(host));
    case 'PlatformTypes':
      return values.includes(host.platform);
    default:
      throw sdkError(InvalidFilterKey, `Invalid filter key ${key}`);
  }
}

function pingStatus(host: FakeHost): string {
  return host.online ? 'Online' : 'ConnectionLost';
}

function row(host: FakeHost): InstanceInformation {
  return {
    InstanceId: host.instanceId,
    PingStatus: pingStatus(host) as InstanceInformation['PingStatus'],
    PlatformType: host.platform,
    PlatformName: PLATFORM_NAME[host.platform],
    ResourceType: host.instanceId.startsWith('mi-') ? 'ManagedInstance' : 'EC2Instance',
    AgentVersion: '3.3.0.0',
  } as InstanceInformation;
}
