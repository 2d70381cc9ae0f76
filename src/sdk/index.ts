// tkh-payments-service/sdk: what a product backend imports. Nothing here imports Nest or the
// AWS SDK (test/unit/sdk/sdk-imports.spec.ts keeps it so).
export { PaymentsClient, type CallOptions, type PaymentsClientOptions } from './payments-client.js';
export { CompatPaymentsClient, type CreateIntentResult, type GetIntentResult, type RefundResult, type VerifyKkiapayCompatResult } from './compat.js';
export { PaymentsApiError, PaymentsNetworkError, isPaymentsApiError } from './errors.js';
export {
  createEventHandler,
  createPaymentEventHandler,
  parsePaymentEvent,
  InMemoryEventStore,
  InvalidPaymentEventError,
  type EventHandlerOptions,
  type EventHandlers,
  type ProcessedEventStore,
  type SnsEventLike,
} from './event-handler.js';
export { DynamoEventStore, type DocumentClientLike, type DynamoEventStoreOptions } from './dynamo-event-store.js';
export { verifyWebhook, WebhookVerificationError, DEFAULT_TOLERANCE_SECONDS, type VerifyWebhookOptions, type WebhookHeaders } from './verify-webhook.js';
export * from './types.js';
