import { Duration } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Alarm, type AlarmProps, ComparisonOperator, MathExpression, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC_NAMES, METRICS_NAMESPACE } from '../../src/logging/emf.js';
import type { PaymentsEnvironment } from '../config/environments.js';

export interface MonitoringTargets {
  api: RestApi;
  functions: Record<string, LambdaFunction>;
  deadLetterQueues: Record<string, Queue>;
  // Stream consumers: alarm when they fall behind the table stream.
  streamConsumers: Record<string, LambdaFunction>;
}

// Alarms an operator acts on (docs/operations.md, "Reading alarms"), mailed through one topic.
// Each alarm is named payments-<env>-<what>, the name the e-mail subject carries.
export class Monitoring extends Construct {
  readonly alarmTopic: Topic;

  constructor(scope: Construct, id: string, env: PaymentsEnvironment, targets: MonitoringTargets) {
    super(scope, id);
    // Not KMS-encrypted: CloudWatch cannot publish to a topic under the AWS-managed SNS key, and
    // alarm notifications carry no payment data.
    this.alarmTopic = new Topic(this, 'AlarmTopic', { topicName: `payments-alarms-${env.name}`, enforceSSL: true });
    this.alarmTopic.addSubscription(new EmailSubscription(env.alarmEmail));
    const notify = new SnsAction(this.alarmTopic);
    const alarm = (name: string, props: Omit<AlarmProps, 'alarmName' | 'evaluationPeriods' | 'treatMissingData'>) =>
      new Alarm(this, name, {
        alarmName: `payments-${env.name}-${name}`,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        ...props,
      }).addAlarmAction(notify);
    const above = ComparisonOperator.GREATER_THAN_THRESHOLD;

    for (const [name, queue] of Object.entries(targets.deadLetterQueues)) {
      alarm(`${name}DlqNotEmpty`, {
        alarmDescription: `${name}: messages in the dead-letter queue (see "Replaying a dead-letter queue")`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        threshold: 0,
        comparisonOperator: above,
      });
    }

    alarm('Api5xxRate', {
      alarmDescription: 'More than 5% of API requests answered 5xx over 5 minutes',
      metric: new MathExpression({
        expression: 'IF(requests > 0, 100 * errors / requests, 0)',
        usingMetrics: { errors: targets.api.metricServerError({ statistic: 'Sum' }), requests: targets.api.metricCount({ statistic: 'Sum' }) },
        period: Duration.minutes(5),
        label: '5xx %',
      }),
      threshold: 5,
      comparisonOperator: above,
    });

    for (const [name, fn] of Object.entries(targets.functions)) {
      alarm(`${name}Errors`, {
        alarmDescription: `${name}: invocation errors`,
        metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 0,
        comparisonOperator: above,
      });
      alarm(`${name}Throttles`, {
        alarmDescription: `${name}: throttled invocations`,
        metric: fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 0,
        comparisonOperator: above,
      });
    }

    for (const [name, fn] of Object.entries(targets.streamConsumers)) {
      alarm(`${name}IteratorAge`, {
        alarmDescription: `${name}: more than 5 minutes behind the table stream (events are late)`,
        metric: fn.metric('IteratorAge', { period: Duration.minutes(5), statistic: 'Maximum' }),
        threshold: Duration.minutes(5).toMilliseconds(),
        comparisonOperator: above,
      });
    }

    // Printed by each reconciler run (EMF, src/logging/emf.ts). 10 minutes spans two 5-minute runs,
    // so one late run does not flip the alarm to OK and back (a second e-mail).
    const opsMetric = (metricName: string) =>
      new Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { Env: env.name }, period: Duration.minutes(10), statistic: 'Maximum' });
    alarm('ReviewItemsOpen', {
      alarmDescription: 'Review items wait for an operator (see "Stuck work and review items": GET /api/v1/ops/review-items)',
      metric: opsMetric(METRIC_NAMES.openReviewItems),
      threshold: 0,
      comparisonOperator: above,
    });
    alarm('UnknownOutcomesOverAnHour', {
      alarmDescription: 'Payments, refunds or payouts whose outcome is still unknown after an hour (see "Stuck work and review items": GET /api/v1/ops/open-work)',
      metric: opsMetric(METRIC_NAMES.unknownOutcomesOverAnHour),
      threshold: 0,
      comparisonOperator: above,
    });
  }
}
