import type { AppConfig } from './config/app-config.js';
import type { Clock } from './domain/clock.js';
import { HttpWebhookSender, systemResolver, type AddressResolver } from './events/webhook-http-sender.js';
import { WebhookDeliveryService } from './services/webhook-delivery.service.js';
import { DynamoEventLog } from './storage/event-log.repository.js';
import { DynamoPaymentLifecycleStore } from './storage/payment-lifecycle.repository.js';
import type { DynamoDBDocumentClient } from './storage/dynamo-client.js';
import { DynamoWebhookDeliveryStore } from './storage/webhook-delivery.repository.js';
import { DynamoWebhookEndpointStore } from './storage/webhook-endpoint.repository.js';

export interface WebhookDelivery {
  delivery: WebhookDeliveryService;
  endpoints: DynamoWebhookEndpointStore;
  deliveries: DynamoWebhookDeliveryStore;
  log: DynamoEventLog;
}

// Outbound webhooks' wiring (ADR 0019), built with the relay because the relay starts deliveries.
export function buildWebhookDelivery(db: DynamoDBDocumentClient, config: AppConfig, clock: Clock, resolver: AddressResolver = systemResolver): WebhookDelivery {
  const endpoints = new DynamoWebhookEndpointStore(db, config.tableName);
  const deliveries = new DynamoWebhookDeliveryStore(db, config.tableName);
  const log = new DynamoEventLog(db, config.tableName);
  const { requireHttps, allowLoopback, timeoutMs } = config.webhooks;
  const sender = new HttpWebhookSender({ requireHttps, allowLoopback }, timeoutMs, resolver);
  const review = new DynamoPaymentLifecycleStore(db, config.tableName);
  return { delivery: new WebhookDeliveryService(endpoints, deliveries, log, sender, review, clock), endpoints, deliveries, log };
}
