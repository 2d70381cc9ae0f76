import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { type ITopic, SubscriptionFilter } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AUTO_DISBURSE_FILTER } from '../../src/services/auto-disburse.service.js';
import type { PaymentsEnvironment } from '../config/environments.js';
import { deadLetterQueue } from './dead-letter-queue.js';
import { ServiceFunction } from './service-function.js';

// Benin: a completed KkiaPay payment is paid out to the business wallet (src/handlers/auto-disburse.ts).
// The filter policy is the one the in-process bus applies locally, so both cannot drift.
export class AutoDisburser extends Construct {
  readonly fn: LambdaFunction;
  readonly dlq: Queue;

  constructor(scope: Construct, id: string, env: PaymentsEnvironment, props: { table: ITable; topic: ITopic; environment: Record<string, string> }) {
    super(scope, id);
    this.dlq = deadLetterQueue(this, 'Dlq');
    // 512 MB / 60 s: one payout call (MoMo, then Moov) with 10 s timeouts, plus table writes.
    // Its events (disbursement.*) go through the outbox, so it needs no sns:Publish.
    this.fn = new ServiceFunction(this, 'Handler', env, {
      bundle: 'auto-disburse',
      description: 'payment.completed (KkiaPay) → payout to the business wallet',
      memoryMb: 512,
      timeout: Duration.seconds(60),
      environment: props.environment,
      // Lambda's own retries of the SNS (asynchronous) invocation end here…
      deadLetterQueue: this.dlq,
    }).fn;
    props.table.grantReadWriteData(this.fn);
    props.topic.addSubscription(
      new LambdaSubscription(this.fn, {
        filterPolicy: Object.fromEntries(
          Object.entries(AUTO_DISBURSE_FILTER).map(([attribute, allowlist]) => [attribute, SubscriptionFilter.stringFilter({ allowlist: [...allowlist] })]),
        ),
        // …and so do deliveries SNS itself could not make.
        deadLetterQueue: this.dlq,
      }),
    );
  }
}
