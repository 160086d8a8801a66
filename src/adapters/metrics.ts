/**
 * Powertools metrics (CloudWatch embedded metric format on stdout), built on first use: a step records metrics
 * only when a rotation completes or a retirement pass ends, so a cold start does not load them.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { RetirementMetrics, RotationMetrics } from '../rotation/deps';

/** The function's metrics; names the alarms and the dashboard read (infra/lib/dashboard.ts). */
export function powertoolsMetrics(namespace: string): RotationMetrics {
  const metrics = new Metrics({ namespace });
  return {
    rotation: (hostsUpdated, durationSeconds) => {
      metrics.addMetric('HostsUpdated', MetricUnit.Count, hostsUpdated);
      if (durationSeconds !== undefined)
        metrics.addMetric('RotationDurationSeconds', MetricUnit.Seconds, durationSeconds);
      metrics.publishStoredMetrics();
    },
    retirement: (m: RetirementMetrics) => {
      metrics.addMetric('OldKeyInUse', MetricUnit.Count, m.oldKeyInUse);
      metrics.addMetric('OldKeyActiveHours', MetricUnit.Count, m.oldKeyActiveHours);
      if (m.hoursSinceLastRotation !== undefined)
        metrics.addMetric('HoursSinceLastRotation', MetricUnit.Count, m.hoursSinceLastRotation);
      if (m.manualConsumersWaitingDays !== undefined)
        metrics.addMetric('ManualConsumersWaitingDays', MetricUnit.Count, m.manualConsumersWaitingDays);
      metrics.publishStoredMetrics();
    },
  };
}
