/** How the configured hosts become `SendCommand` targets, and how to name them in messages. */
import type { Target } from '@aws-sdk/client-ssm';
import type { FleetConfig } from '../rotation/config';

/** The targeting half of a `SendCommand` input: tag targets, or explicit node ids. */
export type TargetSelection = { readonly Targets: Target[] } | { readonly InstanceIds: string[] };

/** Tag targets (`Key=tag:<k>`, values ORed, keys ANDed) when configured, otherwise the explicit node ids. */
export function targetSelection(config: Pick<FleetConfig, 'tagTargets' | 'instanceIds'>): TargetSelection {
  if (config.tagTargets.length > 0) {
    return { Targets: config.tagTargets.map((t) => ({ Key: `tag:${t.key}`, Values: [...t.values] })) };
  }
  return { InstanceIds: [...config.instanceIds] };
}

/**
 * Completes "no managed node …" in error messages: "carries tag Role=relay,relay-dr and tag Env=prod" or
 * "has id i-0123…, mi-0456…".
 */
export function describeTargets(config: Pick<FleetConfig, 'tagTargets' | 'instanceIds'>): string {
  if (config.tagTargets.length > 0) {
    return 'carries ' + config.tagTargets.map((t) => `tag ${t.key}=${t.values.join(',')}`).join(' and ');
  }
  const ids = config.instanceIds;
  return `has id ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ` or one of ${ids.length - 5} more` : ''}`;
}
