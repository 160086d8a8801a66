/**
 * Which managed nodes the rotation's targeting reaches, as SSM's inventory sees them (DescribeInstanceInformation,
 * with the same tag or id selection SendCommand uses), and whether the SSM document exists. For `preflight`.
 */
import {
  DescribeDocumentCommand,
  InvalidDocument,
  paginateDescribeInstanceInformation,
  type InstanceInformationStringFilter,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import type { FleetConfig } from '../rotation/config';
import { awsCall } from './aws-errors';

/** One managed node. */
export interface ManagedNode {
  readonly instanceId: string;
  /** Online, ConnectionLost, Inactive. */
  readonly pingStatus: string;
  readonly platformType: string;
  readonly platformName: string;
}

/** The DescribeInstanceInformation filters equivalent to the fleet's SendCommand targets. */
export function inventoryFilters(
  fleet: Pick<FleetConfig, 'tagTargets' | 'instanceIds'>,
): InstanceInformationStringFilter[] {
  if (fleet.tagTargets.length > 0) return fleet.tagTargets.map((t) => ({ Key: `tag:${t.key}`, Values: [...t.values] }));
  return [{ Key: 'InstanceIds', Values: [...fleet.instanceIds] }];
}

/** Every managed node the targeting selects (paginated, 50 per call). */
export async function managedNodes(
  ssm: SSMClient,
  fleet: Pick<FleetConfig, 'tagTargets' | 'instanceIds'>,
  region?: string,
): Promise<ManagedNode[]> {
  const call = { action: 'ssm:DescribeInstanceInformation', resource: 'the managed nodes of the targeting', region };
  return awsCall(call, async () => {
    const nodes: ManagedNode[] = [];
    const pages = paginateDescribeInstanceInformation(
      { client: ssm, pageSize: 50 },
      { Filters: inventoryFilters(fleet) },
    );
    for await (const out of pages) {
      for (const i of out.InstanceInformationList ?? []) {
        nodes.push({
          instanceId: i.InstanceId ?? '?',
          pingStatus: i.PingStatus ?? 'Unknown',
          platformType: i.PlatformType ?? 'Unknown',
          platformName: i.PlatformName ?? '',
        });
      }
    }
    return nodes;
  });
}

/** "2 Linux, 1 Windows". */
export function platformSummary(nodes: readonly ManagedNode[]): string {
  const counts = new Map<string, number>();
  for (const n of nodes) counts.set(n.platformType, (counts.get(n.platformType) ?? 0) + 1);
  return [...counts].map(([platform, n]) => `${n} ${platform}`).join(', ');
}

/** Whether the document exists (DescribeDocument). @throws AwsCallError for errors other than "no such document" */
export async function documentExists(ssm: SSMClient, name: string, region?: string): Promise<boolean> {
  const call = { action: 'ssm:DescribeDocument', resource: `document ${name}`, ...(region ? { region } : {}) };
  return awsCall(call, () =>
    ssm.send(new DescribeDocumentCommand({ Name: name })).then(
      () => true,
      (error: unknown) => {
        if (error instanceof InvalidDocument) return false;
        throw error;
      },
    ),
  );
}
