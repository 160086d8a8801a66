import type { Stack } from 'aws-cdk-lib';
// Not re-exported by cdk-nag's index; reusing it keeps our finding ids identical to the ones cdk-nag reports.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';

/**
 * Renders a resource ARN the way cdk-nag names it in a finding id (`Ref` → `<Name>`, `Fn::GetAtt` →
 * `<Logical.Attr>`), so an acknowledgment names exactly one finding, in any partition, region or account.
 */
export function nagFindingResource(stack: Stack, value: string): string {
  return flattenCfnReference(stack.resolve(value));
}
