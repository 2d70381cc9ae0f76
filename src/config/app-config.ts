export type NodeEnv = 'development' | 'test' | 'production';

export interface ApiKeyEntry {
  // null: an unscoped operations key that may act for every app.
  appId: string | null;
  sha256: Buffer;
}

// Gateway credentials and endpoints; a gateway without its credentials is "not configured" and
// routing skips it. Base URLs are configurable so tests point adapters at local fakes.
export interface GatewaySettings {
  stripe: { secretKey: string | null; webhookSecret: string | null; apiBaseUrl: string | null };
  paystack: { secretKey: string | null; baseUrl: string };
  kkiapay: {
    publicKey: string | null;
    privateKey: string | null;
    secretKey: string | null;
    webhookSecret: string | null;
    baseUrl: string;
    pushPath: string;
  };
  momo: {
    baseUrl: string;
    targetEnvironment: string;
    collection: { subscriptionKey: string | null; apiUser: string | null; apiKey: string | null };
    disbursement: { subscriptionKey: string | null; apiUser: string | null; apiKey: string | null };
  };
  moov: { endpointUrl: string | null; username: string | null; password: string | null; encryptionKey: string | null; namespace: string };
  tkh: { baseUrl: string | null; apiKey: string | null; webhookSecret: string | null };
}

export interface AppConfig {
  nodeEnv: NodeEnv;
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
  // The reconciler re-publishes events still unpublished this long after their commit.
  outboxGraceSeconds: number;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
