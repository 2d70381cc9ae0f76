import { readEnvironment } from './config/environment.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import { localServerEnvironment } from './config/local-start.js';
import { createApp, defaultDependencies } from './app.factory.js';
import { startDynamoLocal, JavaMissingError, type RunningDynamo } from './local/dynamo-local.js';
import { ensureTable } from './storage/ensure-table.js';
import { logger } from './logging/logger.js';
import { APP_SERVICES, type LoadServices } from './app.services-on-first-use.js';

// `npm start`: the whole service on one machine with development defaults (local-start.ts). Any
// variable set in the environment (or in .env) wins over these.

const SWEEP_INTERVAL_MS = 15_000;

async function main(): Promise<void> {
  const env = { ...localServerEnvironment(readEnvironment({ dotenvPath: '.env' })) };
  let dynamo: RunningDynamo | null = null;
  // DynamoDB Local is a development convenience; production uses the region's DynamoDB.
  if (!env.DYNAMODB_ENDPOINT && env.NODE_ENV !== 'production') {
    dynamo = await startDynamoLocal({ dataDir: env.DATA_DIR });
    env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  }
  const config = loadConfig(env);
  const deps = defaultDependencies(config);
  await ensureTable(deps.db, config.tableName);
  const app = await createApp(deps);
  await app.listen(config.port);
  // Locally the reconciler runs on a timer (in AWS: an EventBridge schedule).
  const { disburse: disbursements, reconcileIntents: staleIntents, reconcileRefunds: openRefunds } = await app.get<LoadServices>(APP_SERVICES)();
  // The same bounded runs as the Lambda's, one at a time: a run that is still going skips a tick.
  let running = false;
  const sweeper = setInterval(() => {
    if (running) return;
    running = true;
    const budget = { deadline: deps.clock.now().getTime() + SWEEP_INTERVAL_MS };
    const step = (name: string, run: () => Promise<unknown>) => run().catch((error: unknown) => logger.error(`${name} failed`, { error: String(error) }));
    void (async () => {
      await step('outbox sweep', () => deps.relay.sweep(config.outboxGraceSeconds));
      await step('intent checks', () => staleIntents.checkDue(budget));
      await step('refund checks', () => openRefunds.checkDue(budget));
      await step('payout checks', () => disbursements.pollPending(budget));
      await step('webhook retries', async () => (await deps.webhooks()).delivery.attemptDue(budget));
    })().finally(() => {
      running = false;
    });
  }, SWEEP_INTERVAL_MS);
  sweeper.unref();

  const shutdown = () => {
    clearInterval(sweeper);
    void app.close().finally(() => {
      dynamo?.stop();
      process.exit(0);
    });
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  printWelcome(config.port, config.apiKeys.length > 0);
}

function printWelcome(port: number, keysConfigured: boolean): void {
  const base = `http://localhost:${port}/api/v1`;
  const keyHeader = keysConfigured ? ` -H 'X-API-Key: <your key>'` : '';
  const body = JSON.stringify({
    amount: 500000,
    currency: 'XOF',
    country: 'BJ',
    metadata: { appId: 'events', referenceId: 'booking-abc123' },
    gatewayOverride: 'mock',
  });
  process.stdout.write(
    `\nPayments service listening on ${base}\n\nCreate a mock intent:\n` +
      `  curl -s -X POST ${base}/intents -H 'Content-Type: application/json'${keyHeader} -d '${body}'\n\n` +
      'Press Ctrl-C to stop.\n',
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof JavaMissingError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    logger.error('start-up failed', { error: error instanceof Error ? error.stack : String(error) });
  }
  process.exit(1);
});
