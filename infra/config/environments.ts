import { RetentionDays } from 'aws-cdk-lib/aws-logs';

export type EnvironmentName = 'dev' | 'prod';

export interface PaymentsEnvironment {
  name: EnvironmentName;
  account: string;
  region: string;
  // Accounts allowed to subscribe product Lambdas to the events topic (seed 001, Cross-Account).
  subscriberAccountIds: string[];
  logRetention: RetentionDays;
  alarmEmail: string;
  // NODE_ENV of every Lambda: dev behaves like the contract's development environment (the mock
  // gateway exists; API keys are still required, PAYMENTS_STAGE=dev); prod never has the mock.
  nodeEnv: 'development' | 'production';
  // Requests per 60 s (ADR 0021). The app enforces the same budgets per instance; the WAF
  // enforces them across instances: per API key's header value, per IP for requests without a
  // key, per IP for gateway callbacks, and a per-IP ceiling over everything (invented keys).
  rateLimits: { perApiKey: number; perIpWithoutKey: number; webhooksPerIp: number; perIpCeiling: number };
  // API Gateway stage throttling (all clients together).
  apiThrottle: { rateLimit: number; burstLimit: number };
  // prod keeps the table on stack deletion and protects it from deletion.
  retainData: boolean;
}

export const ENVIRONMENTS: Record<EnvironmentName, PaymentsEnvironment> = {
  dev: {
    name: 'dev',
    account: '497172038983',
    region: 'ca-central-1',
    subscriberAccountIds: [
      '110044886269', // Kaba dev
      '307869868537', // Events dev
    ],
    logRetention: RetentionDays.ONE_MONTH,
    alarmEmail: 'payments-alerts+dev@tkhtech.com',
    nodeEnv: 'development',
    rateLimits: { perApiKey: 1000, perIpWithoutKey: 100, webhooksPerIp: 1000, perIpCeiling: 3000 },
    apiThrottle: { rateLimit: 50, burstLimit: 100 },
    retainData: false,
  },
  prod: {
    name: 'prod',
    account: '497172038983',
    region: 'ca-central-1',
    subscriberAccountIds: [],
    logRetention: RetentionDays.ONE_YEAR,
    alarmEmail: 'payments-alerts@tkhtech.com',
    nodeEnv: 'production',
    rateLimits: { perApiKey: 1000, perIpWithoutKey: 100, webhooksPerIp: 1000, perIpCeiling: 6000 },
    apiThrottle: { rateLimit: 200, burstLimit: 400 },
    retainData: true,
  },
};

export function environmentNamed(name: string | undefined): PaymentsEnvironment {
  if (name === 'dev' || name === 'prod') return ENVIRONMENTS[name];
  throw new Error(`Unknown environment "${name ?? ''}": pass -c env=dev or -c env=prod`);
}
