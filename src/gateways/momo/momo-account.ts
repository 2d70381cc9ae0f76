import type { Clock } from '../../domain/clock.js';
import type { Currency } from '../../domain/money.js';
import { gatewayFetch, type GatewayRequest, type GatewayResponse } from '../http/gateway-http.js';
import { MOMO_COUNTRY_CURRENCY, MOMO_SANDBOX, MOMO_SANDBOX_CURRENCY, momoAccountCountries, type MomoCountry } from './momo-countries.js';
import { momoCredentialsComplete, MomoTokenCache, type MomoProduct, type MomoProductCredentials } from './momo-token.js';

// One country's credential set: its X-Target-Environment and both products' credentials.
export interface MomoAccountSettings {
  targetEnvironment: string;
  // ISO code this set serves; null: derived from the target environment (ADR 0018).
  country?: string | null;
  collection: MomoProductCredentials;
  disbursement: MomoProductCredentials;
}

// One MTN account (a country, or the sandbox): its token caches and the headers of every call.
export class MomoAccount {
  readonly countries: readonly MomoCountry[];
  readonly sandbox: boolean;
  // Sandbox: EUR, plus the local currencies so a non-EUR intent reaches it and is refused with the reason.
  readonly currencies: readonly Currency[];
  private readonly tokens: Record<MomoProduct, MomoTokenCache>;

  constructor(
    private readonly baseUrl: string,
    private readonly settings: MomoAccountSettings,
    clock: Clock,
    private readonly timeoutMs: number | undefined,
  ) {
    this.sandbox = settings.targetEnvironment === MOMO_SANDBOX;
    this.countries = momoAccountCountries(settings.targetEnvironment, settings.country ?? null);
    const local = this.countries.map((country) => MOMO_COUNTRY_CURRENCY[country]);
    this.currencies = [...new Set<Currency>(this.sandbox ? [MOMO_SANDBOX_CURRENCY, ...local] : local)];
    this.tokens = {
      collection: new MomoTokenCache(baseUrl, 'collection', settings.collection, clock),
      disbursement: new MomoTokenCache(baseUrl, 'disbursement', settings.disbursement, clock),
    };
  }

  get targetEnvironment(): string {
    return this.settings.targetEnvironment;
  }

  collects(): boolean {
    return this.countries.length > 0 && momoCredentialsComplete(this.settings.collection);
  }

  pays(): boolean {
    return this.countries.length > 0 && momoCredentialsComplete(this.settings.disbursement);
  }

  serves(country: string): boolean {
    return (this.countries as readonly string[]).includes(country);
  }

  // Why this account cannot take a payment or payout in `currency`, or null when it can.
  currencyProblem(currency: string): string | null {
    if (this.sandbox && currency !== MOMO_SANDBOX_CURRENCY) {
      return `MTN MoMo sandbox (X-Target-Environment "sandbox") accepts EUR only, not ${currency}; use a production MoMo account for ${currency}`;
    }
    if (!(this.currencies as readonly string[]).includes(currency)) {
      return `MTN MoMo ${this.settings.targetEnvironment} takes ${this.currencies.join(', ')}, not ${currency}`;
    }
    return null;
  }

  // Every product call: the product's bearer token, subscription key and target environment.
  async call(product: MomoProduct, request: GatewayRequest): Promise<GatewayResponse> {
    const token = await this.tokens[product].token();
    const response = await gatewayFetch('momo', {
      ...request,
      url: `${this.baseUrl.replace(/\/+$/, '')}${request.url}`,
      ...(this.timeoutMs !== undefined ? { timeoutMs: this.timeoutMs } : {}),
      headers: {
        authorization: `Bearer ${token}`,
        'x-target-environment': this.settings.targetEnvironment,
        'ocp-apim-subscription-key': this.settings[product].subscriptionKey ?? '',
        ...request.headers,
      },
    });
    if (response.status === 401) this.tokens[product].invalidate();
    return response;
  }
}
