import type { RateLimits } from './api/rate-limits.js';
import type { AppConfig } from './config/app-config.js';
import { systemClock, uuidGenerator, type Clock, type IdGenerator } from './domain/clock.js';
import type { EventPublisher } from './events/event-publisher.js';
import type { LocalEventBus } from './events/local-event-bus.js';
import type { OutboxRelay } from './events/outbox-relay.js';
import { ImmediateOutboxDispatcher, streamDrivenDispatcher } from './events/outbox-dispatchers.js';
import { buildGatewayRegistry } from './gateways/build-gateways.js';
import type { DisbursementProvider } from './gateways/disbursement-provider.js';
import type { GatewayRegistry } from './gateways/registry.js';
import type { OutboxDispatcher } from './services/ports.js';
import { createDocumentClient, type DynamoDBDocumentClient } from './storage/dynamo-client.js';
import { buildRelay } from './app.relay.js';
import type { WebhookDelivery } from './app.webhooks.js';
import type { AddressResolver } from './events/webhook-http-sender.js';

export interface AppDependencies {
  config: AppConfig;
  db: DynamoDBDocumentClient;
  gateways: GatewayRegistry;
  clock: Clock;
  ids: IdGenerator;
  publisher: EventPublisher;
  relay: OutboxRelay;
  dispatcher: OutboxDispatcher;
  // Present when events stay in-process (no PAYMENTS_TOPIC_ARN): local development and tests.
  localBus: LocalEventBus | null;
  // Payout providers in the order they are tried; unset: MTN MoMo, then Moov Africa (seed 001),
  // built with the services that pay out (app.services.ts).
  disbursementProviders?: DisbursementProvider[];
  // Rate-limit budgets; unset = config.rateLimits (tests that flood on purpose raise them).
  rateLimits?: RateLimits;
  // Outbound webhooks (ADR 0019): run by the relay after each publish and by the reconciler.
  webhooks: () => Promise<WebhookDelivery>;
}

type Overrides = Partial<Pick<AppDependencies, 'db' | 'gateways' | 'clock' | 'ids' | 'publisher' | 'disbursementProviders' | 'rateLimits'>> & {
  // DNS for webhook targets (tests make names resolve where they need).
  webhookResolver?: AddressResolver;
};

// Production wiring from config; tests pass their own clock, ids, gateways or publisher.
export function defaultDependencies(config: AppConfig, overrides: Overrides = {}): AppDependencies {
  const clock = overrides.clock ?? systemClock;
  const db = overrides.db ?? createDocumentClient({ region: config.awsRegion, endpoint: config.dynamodbEndpoint });
  const { publisher, localBus, relay, webhooks } = buildRelay(config, db, clock, overrides);
  const gateways = overrides.gateways ?? buildGatewayRegistry(config, clock);
  return {
    config,
    db,
    clock,
    ids: overrides.ids ?? uuidGenerator,
    gateways,
    publisher,
    relay,
    // With SNS the table stream drives the relay; in-process, publish right after the commit.
    dispatcher: config.paymentsTopicArn ? streamDrivenDispatcher : new ImmediateOutboxDispatcher(relay),
    localBus,
    ...(overrides.disbursementProviders ? { disbursementProviders: overrides.disbursementProviders } : {}),
    ...(overrides.rateLimits ? { rateLimits: overrides.rateLimits } : {}),
    webhooks,
  };
}
