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
}

export const APP_CONFIG = Symbol('APP_CONFIG');
