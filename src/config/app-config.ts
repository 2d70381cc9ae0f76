import type { IntentExpiryPolicy } from '../domain/intent-expiry.js';
import type { KkiapaySettings } from '../gateways/kkiapay/kkiapay.gateway.js';
import type { MomoSettings } from '../gateways/momo/momo.gateway.js';
import type { MoovSettings } from '../gateways/moov/moov-disbursement.provider.js';
import type { PaystackSettings } from '../gateways/paystack/paystack.gateway.js';
import type { StripeSettings } from '../gateways/stripe/stripe.gateway.js';
import type { TkhSettings } from '../gateways/tkh/tkh.gateway.js';
import type { RateLimits } from './rate-limit-config.js';

export type NodeEnv = 'development' | 'test' | 'production';
// Where this process runs: on a machine (local), or a deployed CDK stage (ADR 0021).
export type Stage = 'local' | 'dev' | 'prod';

export interface ApiKeyEntry {
  // null: an unscoped operations key that may act for every app.
  appId: string | null;
  sha256: Buffer;
}

// Gateway credentials and endpoints, in each adapter's own settings shape; a gateway without its
// credentials is "not configured" and routing skips it. Base URLs are configurable so tests
// point adapters at local fakes.
export interface GatewaySettings {
  stripe: StripeSettings;
  paystack: PaystackSettings;
  kkiapay: KkiapaySettings;
  // The callback base is PUBLIC_BASE_URL, added when the adapter is built.
  momo: Omit<MomoSettings, 'callbackBaseUrl'>;
  moov: MoovSettings;
  tkh: TkhSettings;
}

export interface AppConfig {
  nodeEnv: NodeEnv;
  // dev runs with development semantics (the mock exists) but always requires a key; prod never has the mock.
  stage: Stage;
  port: number;
  publicBaseUrl: string;
  awsRegion: string;
  tableName: string;
  // Set locally and in tests (DynamoDB Local); unset in AWS.
  dynamodbEndpoint: string | null;
  apiKeys: ApiKeyEntry[];
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  // SNS topic for events; unset (local) means the in-process bus.
  paymentsTopicArn: string | null;
  // Local bus only: also POST every event here, SNS-envelope style.
  localEventWebhookUrl: string | null;
  // Mock gateway webhook HMAC secret; unset means unsigned mock webhooks (development).
  mockWebhookSecret: string | null;
  gateways: GatewaySettings;
  // The reconciler re-publishes events still unpublished this long after their commit (an event
  // held by its intent: after a failed publish, or the intent's next check; ADR 0022).
  outboxGraceSeconds: number;
  payouts: PayoutPolicy;
  // Minutes an open intent waits per flow before the reconciler cancels it (ADR 0013).
  intentExpiry: IntentExpiryPolicy;
  // The Env dimension of the TkhPayments metrics (src/logging/emf.ts); the CDK stack sets it.
  metricsEnv: string;
  // Per client IP, per API key's app, and for gateway callbacks (ADR 0021).
  rateLimits: RateLimits;
  // Outbound webhooks to product backends (ADR 0019).
  webhooks: WebhookSettings;
}

export interface WebhookSettings {
  // Per attempt, at most 10 s.
  timeoutMs: number;
  // Only https targets (everywhere but development and test).
  requireHttps: boolean;
  // development/test only: local receivers on 127.0.0.1 / ::1 / localhost.
  allowLoopback: boolean;
}

// Who may pay out money that no paid intent of theirs backs (POST /disbursements without
// intentId), and how much per app, currency and UTC day (minor units).
export interface PayoutPolicy {
  unsourcedApps: readonly string[];
  unsourcedDailyLimits: Readonly<Record<string, number>>;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
