import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, MathExpression, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { PaymentsEnvironment } from '../config/environments.js';

// Alarms an operator acts on (docs/operations.md, "Reading alarms"), mailed through one topic.
export class Monitoring extends Construct {
  readonly alarmTopic: Topic;

  constructor(
    scope: Construct,
    id: string,
    env: PaymentsEnvironment,
    targets: { api: RestApi; functions: Record<string, LambdaFunction>; deadLetterQueues: Record<string, Queue> },
  ) {
    super(scope, id);
    this.alarmTopic = new Topic(this, 'AlarmTopic', { topicName: `payments-alarms-${env.name}`, enforceSSL: true });
    this.alarmTopic.addSubscription(new EmailSubscription(env.alarmEmail));
    const notify = new SnsAction(this.alarmTopic);
    const alarm = (name: string, props: ConstructorParameters<typeof Alarm>[2]) => new Alarm(this, name, props).addAlarmAction(notify);

    for (const [name, queue] of Object.entries(targets.deadLetterQueues)) {
      alarm(`${name}DlqNotEmpty`, {
        alarmDescription: `${name}: messages in the dead-letter queue (events or payouts need replaying)`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    }
    const api = targets.api;
    alarm('Api5xxRate', {
      alarmDescription: 'More than 5% of API requests answered 5xx over 5 minutes',
      metric: new MathExpression({
        expression: 'IF(requests > 0, 100 * errors / requests, 0)',
        usingMetrics: { errors: api.metricServerError({ statistic: 'Sum' }), requests: api.metricCount({ statistic: 'Sum' }) },
        period: Duration.minutes(5),
      }),
      threshold: 5,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    for (const [name, fn] of Object.entries(targets.functions)) {
      const perFunction = [
        ['Errors', fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }), 'invocation errors'],
        ['Throttles', fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }), 'throttled invocations'],
      ] as const;
      for (const [kind, metric, what] of perFunction) {
        alarm(`${name}${kind}`, {
          alarmDescription: `${name}: ${what}`,
          metric,
          threshold: 0,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        });
      }
    }
  }
}
