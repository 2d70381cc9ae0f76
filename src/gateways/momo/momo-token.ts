import type { Clock } from '../../domain/clock.js';
import { GatewayError } from '../gateway.js';
import { gatewayFetch, httpError } from '../http/gateway-http.js';

export interface MomoProductCredentials {
  subscriptionKey: string | null;
  apiUser: string | null;
  apiKey: string | null;
}

// An access token per MoMo product (collection, disbursement), reused until 60 s before expiry.
export class MomoTokenCache {
  private cached: { token: string; refreshAt: number } | null = null;

  constructor(
    private readonly baseUrl: string,
    private readonly product: 'collection' | 'disbursement',
    private readonly credentials: MomoProductCredentials,
    private readonly clock: Clock,
  ) {}

  async token(): Promise<string> {
    const now = this.clock.now().getTime();
    if (this.cached && now < this.cached.refreshAt) return this.cached.token;
    const { apiUser, apiKey, subscriptionKey } = this.credentials;
    const response = await gatewayFetch('momo', {
      method: 'POST',
      url: `${this.baseUrl}/${this.product}/token/`,
      headers: {
        authorization: `Basic ${Buffer.from(`${apiUser ?? ''}:${apiKey ?? ''}`).toString('base64')}`,
        'ocp-apim-subscription-key': subscriptionKey ?? '',
      },
    });
    if (response.status !== 200) throw httpError('momo', response.status, `${this.product} token`);
    const body = response.body as { access_token?: unknown; expires_in?: unknown } | null;
    if (typeof body?.access_token !== 'string') throw new GatewayError('momo', 'auth', `${this.product} token: no access_token`, false, true);
    const lifetimeSeconds = typeof body.expires_in === 'number' ? body.expires_in : 3600;
    this.cached = { token: body.access_token, refreshAt: now + Math.max(0, lifetimeSeconds - 60) * 1000 };
    return body.access_token;
  }
}
