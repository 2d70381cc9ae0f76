import type { PaymentEventType } from './payment-event.js';

// An app's outbound webhook endpoint (ADR 0019): one generic URL, optional URLs per event family,
// and its own Standard Webhooks signing secret(s).
export type EventFamily = 'payments' | 'refunds' | 'payouts';
export const EVENT_FAMILIES: readonly EventFamily[] = ['payments', 'refunds', 'payouts'];

export type EndpointStatus = 'enabled' | 'disabled';

// A signing secret; `expiresAt` is set on the previous secret during a rotation's overlap.
export interface SigningSecret {
  secret: string;
  createdAt: string;
  expiresAt: string | null;
}

export interface WebhookEndpoint {
  id: string;
  appId: string;
  url: string;
  familyUrls: Partial<Record<EventFamily, string>>;
  description: string | null;
  status: EndpointStatus;
  // Why it was disabled: 'failing' (the service gave up on it) or 'by_app' (PATCH).
  disabledReason: 'failing' | 'by_app' | null;
  disabledAt: string | null;
  // The last successful delivery, refreshed at most hourly (it decides "keeps failing").
  lastSuccessAt: string | null;
  secrets: SigningSecret[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

// Each app may register this many endpoints.
export const MAX_ENDPOINTS_PER_APP = 10;
export const DEFAULT_ROTATION_OVERLAP_HOURS = 24;

export function eventFamilyOf(type: PaymentEventType): EventFamily {
  switch (type) {
    case 'payment.completed':
    case 'payment.failed':
      return 'payments';
    case 'payment.refunded':
      return 'refunds';
    case 'disbursement.completed':
    case 'disbursement.failed':
      return 'payouts';
  }
}

// The family's own URL when set, else the generic one.
export const targetUrlFor = (endpoint: Pick<WebhookEndpoint, 'url' | 'familyUrls'>, type: PaymentEventType): string =>
  endpoint.familyUrls[eventFamilyOf(type)] ?? endpoint.url;

// The secrets that sign at `now`: the current one, and the previous one until its overlap ends.
export const signingSecretsAt = (endpoint: Pick<WebhookEndpoint, 'secrets'>, now: Date): string[] =>
  endpoint.secrets.filter((s) => s.expiresAt === null || new Date(s.expiresAt).getTime() > now.getTime()).map((s) => s.secret);

// A URL as it may appear in logs and attempt records: no query string or credentials (receivers
// often put a token there).
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(invalid url)';
  }
}
