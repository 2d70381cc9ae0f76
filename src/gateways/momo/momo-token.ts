import type { Clock } from '../../domain/clock.js';
import { GatewayError } from '../gateway.js';
import { gatewayFetch, httpError } from '../http/gateway-http.js';

export type MomoProduct = 'collection' | 'disbursement';

// Each MoMo product (Collection, Disbursement) has its own subscription key and API user.
export interface MomoProductCredentials {
  subscriptionKey: string | null;
  apiUser: string | null;
  apiKey: string | null;
}

export const momoCredentialsComplete = (c: MomoProductCredentials): boolean => Boolean(c.subscriptionKey && c.apiUser && c.apiKey);

// Refresh this long before MoMo's expires_in runs out, so a token never dies mid-request.
export const MOMO_TOKEN_REFRESH_MARGIN_MS = 60_000;

// One access token per product: POST /<product>/token/ with Basic base64(apiUser:apiKey) and the
// product's Ocp-Apim-Subscription-Key → { access_token, token_type, expires_in }. Reused until
// 60 s before expiry, judged by the injected Clock; concurrent callers share one request.
export class MomoTokenCache {
  private cached: { token: string; refreshAtMs: number } | null = null;
  private inFlight: Promise<string> | null = null;

  constructor(
    private readonly baseUrl: string,
    private readonly product: MomoProduct,
    private readonly credentials: MomoProductCredentials,
    private readonly clock: Clock,
  ) {}

  token(): Promise<string> {
    if (this.cached && this.clock.now().getTime() < this.cached.refreshAtMs) return Promise.resolve(this.cached.token);
    this.inFlight ??= this.fetchToken().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  // After MoMo rejects a token (401), the next call fetches a new one.
  invalidate(): void {
    this.cached = null;
  }

  private async fetchToken(): Promise<string> {
    const { apiUser, apiKey, subscriptionKey } = this.credentials;
    const requestedAtMs = this.clock.now().getTime();
    const response = await gatewayFetch('momo', {
      method: 'POST',
      url: `${this.baseUrl.replace(/\/+$/, '')}/${this.product}/token/`,
      headers: {
        authorization: `Basic ${Buffer.from(`${apiUser ?? ''}:${apiKey ?? ''}`, 'utf8').toString('base64')}`,
        'ocp-apim-subscription-key': subscriptionKey ?? '',
      },
    });
    if (response.status !== 200) throw httpError('momo', response.status, `${this.product} token`);
    const body = response.body as { access_token?: unknown; expires_in?: unknown } | null;
    if (typeof body?.access_token !== 'string' || !body.access_token) {
      throw new GatewayError('momo', 'unavailable', `${this.product} token: answer without access_token`, true, true);
    }
    const lifetimeSeconds = Number(body.expires_in);
    const lifetimeMs = Number.isFinite(lifetimeSeconds) && lifetimeSeconds > 0 ? lifetimeSeconds * 1000 : 0;
    // Timed from the request, not the answer: the token may be a little older than it looks.
    this.cached = { token: body.access_token, refreshAtMs: requestedAtMs + Math.max(0, lifetimeMs - MOMO_TOKEN_REFRESH_MARGIN_MS) };
    return body.access_token;
  }
}
