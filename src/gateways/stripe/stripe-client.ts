import Stripe from 'stripe';
import { classifyStripeError, type StripeCallContext } from './stripe-errors.js';

// The Stripe SDK (≈260 KB) and what needs its classes, loaded by StripeGateway through import()
// on its first API call: a Lambda that never calls Stripe never reads it (ADR 0020).
export interface StripeSdk {
  client: Stripe;
  classify(error: unknown, context: StripeCallContext): unknown;
}

export function stripeSdk(secretKey: string, apiBaseUrl: string | null, timeoutMs: number): StripeSdk {
  return { client: new Stripe(secretKey, clientConfig(apiBaseUrl, timeoutMs)), classify: classifyStripeError };
}

// Retries are the core's decision (a new attempt record each), never the SDK's.
function clientConfig(apiBaseUrl: string | null, timeoutMs: number): Stripe.StripeConfig {
  const base = { maxNetworkRetries: 0, timeout: timeoutMs };
  if (!apiBaseUrl) return base;
  const url = new URL(apiBaseUrl);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { ...base, host: url.hostname, port: url.port || (protocol === 'http' ? 80 : 443), protocol };
}
