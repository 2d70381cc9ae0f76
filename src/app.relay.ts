import type { AppConfig } from './config/app-config.js';
import type { Clock } from './domain/clock.js';
import type { EventPublisher } from './events/event-publisher.js';
import { LazySnsPublisher } from './events/lazy-sns-publisher.js';
import { LocalEventBus } from './events/local-event-bus.js';
import { OutboxRelay } from './events/outbox-relay.js';
import type { AddressResolver } from './events/webhook-http-sender.js';
import { onFirstUse } from './domain/on-first-use.js';
import type { WebhookDelivery } from './app.webhooks.js';
import type { OutboxRecord } from './services/ports.js';
import type { DynamoDBDocumentClient } from './storage/dynamo-client.js';
import { DynamoOutboxStore } from './storage/outbox.repository.js';

export interface RelayWiring {
  publisher: EventPublisher;
  // Present when events stay in-process (no PAYMENTS_TOPIC_ARN): local development and tests.
  localBus: LocalEventBus | null;
  relay: OutboxRelay;
  // Outbound webhooks (ADR 0019), built on the first event or request that needs them.
  webhooks: () => Promise<WebhookDelivery>;
}

// What publishing needs and nothing else (no gateways, no Nest): the stream relay Lambda is built
// from this alone, the app and the other handlers from this and the rest (app.dependencies.ts).
export function buildRelay(
  config: AppConfig,
  db: DynamoDBDocumentClient,
  clock: Clock,
  overrides: { publisher?: EventPublisher; webhookResolver?: AddressResolver } = {},
): RelayWiring {
  const localBus = config.paymentsTopicArn ? null : new LocalEventBus({ webhookUrl: config.localEventWebhookUrl, clock });
  const publisher =
    overrides.publisher ?? (config.paymentsTopicArn ? new LazySnsPublisher(config.awsRegion, config.paymentsTopicArn) : (localBus as LocalEventBus));
  const webhooks = onFirstUse(async () => (await import('./app.webhooks.js')).buildWebhookDelivery(db, config, clock, overrides.webhookResolver));
  const startDeliveries = { prepare: async (record: OutboxRecord) => (await webhooks()).delivery.prepare(record) };
  const relay = new OutboxRelay(new DynamoOutboxStore(db, config.tableName), publisher, clock, startDeliveries);
  return { publisher, localBus, relay, webhooks };
}
