export type NodeEnv = 'development' | 'test' | 'production';

export interface ApiKeyEntry {
  // null: an unscoped operations key that may act for every app.
  appId: string | null;
  sha256: Buffer;
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
  tkhWebhookSecret: string | null;
  // The reconciler re-publishes events still unpublished this long after their commit.
  outboxGraceSeconds: number;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
