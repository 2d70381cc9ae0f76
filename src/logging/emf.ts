import type { OpsMetrics } from '../services/ops.service.js';

// CloudWatch Embedded Metric Format: one JSON line on stdout becomes metrics in the Lambda's log
// group, with no PutMetricData call (and no IAM for it). The CDK alarms read these names.
export const METRICS_NAMESPACE = 'TkhPayments';
export const METRIC_NAMES = { openReviewItems: 'ReviewItemsOpen', unknownOutcomesOverAnHour: 'UnknownOutcomesOverAnHour' } as const;

export function emfLine(metrics: OpsMetrics, env: string, now: Date = new Date()): string {
  return JSON.stringify({
    _aws: {
      Timestamp: now.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: METRICS_NAMESPACE,
          Dimensions: [['Env']],
          Metrics: [
            { Name: METRIC_NAMES.openReviewItems, Unit: 'Count' },
            { Name: METRIC_NAMES.unknownOutcomesOverAnHour, Unit: 'Count' },
          ],
        },
      ],
    },
    Env: env,
    [METRIC_NAMES.openReviewItems]: metrics.openReviewItems,
    [METRIC_NAMES.unknownOutcomesOverAnHour]: metrics.unknownOutcomesOverAnHour,
  });
}
