import type { PaymentsEnvironment } from './environments.js';

// Every secret the app reads (see .env.example), stored as an SSM SecureString named after its
// environment variable under /payments/<env>/. They are created outside CDK (docs/operations.md)
// so no secret value ever enters a template; the stack only knows their names.
export const SECRET_NAMES = [
  'TKH_API_KEY_HASH',
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'PAYSTACK_SECRET_KEY',
  'KKIAPAY_PUBLIC_KEY',
  'KKIAPAY_PRIVATE_KEY',
  'KKIAPAY_SECRET_KEY',
  'KKIAPAY_WEBHOOK_SECRET',
  'MOMO_COLLECTION_SUBSCRIPTION_KEY',
  'MOMO_COLLECTION_API_USER',
  'MOMO_COLLECTION_API_KEY',
  'MOMO_DISBURSEMENT_SUBSCRIPTION_KEY',
  'MOMO_DISBURSEMENT_API_USER',
  'MOMO_DISBURSEMENT_API_KEY',
  'MOOV_USERNAME',
  'MOOV_PASSWORD',
  'MOOV_ENCRYPTION_KEY',
  'TKH_API_KEY',
  'TKH_WEBHOOK_SECRET',
  'MOCK_WEBHOOK_SECRET',
] as const;

export type SecretName = (typeof SECRET_NAMES)[number];

// The mock gateway does not exist in production, so neither does its secret.
const NOT_IN_PROD: readonly SecretName[] = ['MOCK_WEBHOOK_SECRET'];

export function secretNamesFor(env: PaymentsEnvironment): SecretName[] {
  return SECRET_NAMES.filter((name) => env.name !== 'prod' || !NOT_IN_PROD.includes(name));
}

// The path the Lambdas load at cold start (SSM_PARAMETER_PATH), e.g. /payments/dev/.
export const ssmParameterPath = (env: PaymentsEnvironment): string => `/payments/${env.name}/`;
