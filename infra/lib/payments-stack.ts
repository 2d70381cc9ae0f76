import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { PaymentsEnvironment } from '../config/environments.js';
import { secretNamesFor, ssmParameterPath } from '../config/secrets.js';
import { PaymentsApi } from './api.js';
import { AutoDisburser } from './auto-disburser.js';
import { EventsTopic } from './events-topic.js';
import { Monitoring } from './monitoring.js';
import { OutboxRelay } from './outbox-relay.js';
import { PaymentsTable } from './payments-table.js';
import { Reconciler } from './reconciler.js';
import { type LambdaBundle, ServiceFunction } from './service-function.js';

export interface PaymentsStackProps extends StackProps {
  environment: PaymentsEnvironment;
}

// The whole service: REST API + WAF, the table, the events topic, the four Lambdas, DLQs and alarms.
export class PaymentsStack extends Stack {
  // By bundle name (dist-lambda/<name>), for wiring and for tests.
  readonly functions: Record<LambdaBundle, LambdaFunction>;

  constructor(scope: Construct, id: string, props: PaymentsStackProps) {
    super(scope, id, props);
    const env = props.environment;
    const { table } = new PaymentsTable(this, 'Data', env);
    const { topic } = new EventsTopic(this, 'Events', env);
    // METRICS_ENV: the Env dimension of the TkhPayments metrics the Monitoring alarms read.
    const data = { PAYMENTS_TABLE_NAME: table.tableName, PAYMENTS_TOPIC_ARN: topic.topicArn, METRICS_ENV: env.name };

    // API: 1024 MB buys the CPU that makes Nest's cold start about twice as fast as 512 MB; 29 s
    // is API Gateway's own integration limit, and gateways answer within 10 s (our fetch timeout).
    // It needs no sns:Publish: its events go through the outbox and the table stream.
    const api = new ServiceFunction(this, 'ApiFunction', env, {
      bundle: 'api',
      description: 'Payments HTTP API (intents, refunds, disbursements, webhooks)',
      memoryMb: 1024,
      timeout: Duration.seconds(29),
      environment: { ...data, RATE_LIMIT_PER_KEY: String(env.rateLimits.perApiKey) },
    }).fn;
    table.grantReadWriteData(api);
    const restApi = new PaymentsApi(this, 'Api', env, api);
    api.addEnvironment('PUBLIC_BASE_URL', restApi.publicBaseUrl);

    // The non-HTTP handlers; each is one small construct (table, topic, its own duties).
    const handlers = { table, topic, environment: { ...data, PUBLIC_BASE_URL: restApi.publicBaseUrl } };
    const relay = new OutboxRelay(this, 'OutboxRelay', env, handlers);
    const reconciler = new Reconciler(this, 'Reconcile', env, handlers);
    const autoDisburser = new AutoDisburser(this, 'AutoDisburse', env, handlers);

    this.functions = { api, 'outbox-relay': relay.fn, reconcile: reconciler.fn, 'auto-disburse': autoDisburser.fn };

    new Monitoring(this, 'Monitoring', env, {
      api: restApi.api,
      functions: { Api: api, OutboxRelay: relay.fn, Reconcile: reconciler.fn, AutoDisburse: autoDisburser.fn },
      deadLetterQueues: { OutboxRelay: relay.dlq, AutoDisburse: autoDisburser.dlq },
      streamConsumers: { OutboxRelay: relay.fn },
    });

    new CfnOutput(this, 'EventsTopicArn', { value: topic.topicArn, description: 'Subscribe product Lambdas here (filter on appId)' });
    new CfnOutput(this, 'SecretParameterNames', {
      value: secretNamesFor(env).map((name) => `${ssmParameterPath(env)}${name}`).join(' '),
      description: 'SecureStrings the Lambdas read at cold start (create them outside CDK)',
    });
  }
}
