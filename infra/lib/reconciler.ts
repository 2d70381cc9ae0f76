import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaTarget } from 'aws-cdk-lib/aws-events-targets';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { PaymentsEnvironment } from '../config/environments.js';
import { ServiceFunction } from './service-function.js';

// Every minute: re-publishes events still unpublished, re-checks intents whose webhook never
// came, follows pending payouts and retries due outbound webhooks (src/handlers/reconcile.ts).
// Each check is due-based, so running more often costs queries, not gateway calls; a minute is
// what the webhook schedule's first retries (5 s, 30 s, 2 min) need (ADR 0019).
export class Reconciler extends Construct {
  readonly fn: LambdaFunction;

  constructor(scope: Construct, id: string, env: PaymentsEnvironment, props: { table: ITable; topic: ITopic; environment: Record<string, string> }) {
    super(scope, id);
    // 512 MB / 2 min: it may query several gateways (10 s fetch timeout each) in one sweep.
    this.fn = new ServiceFunction(this, 'Sweep', env, {
      bundle: 'reconcile',
      description: 'Scheduled sweep: unpublished events, stale intents, pending disbursements',
      memoryMb: 512,
      timeout: Duration.minutes(2),
      environment: props.environment,
    }).fn;
    props.table.grantReadWriteData(this.fn);
    props.topic.grantPublish(this.fn);
    new Rule(this, 'Schedule', { schedule: Schedule.rate(Duration.minutes(1)), targets: [new LambdaTarget(this.fn)] });
  }
}
