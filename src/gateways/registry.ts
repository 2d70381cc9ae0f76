import { DomainError, validationError } from '../domain/errors.js';
import { GATEWAY_IDS, type GatewayId } from '../domain/gateway-id.js';
import type { Currency } from '../domain/money.js';
import { onFirstUse } from '../domain/on-first-use.js';
import { routeForCountry } from '../domain/routing-table.js';
import { GATEWAY_CAPABILITIES } from './capabilities.js';
import { supportsCurrency, type GatewayCapabilities, type PaymentGateway } from './gateway.js';

export interface RouteRequest {
  country: string;
  currency: Currency;
  gatewayOverride?: GatewayId;
  // true: the client opens the gateway's JS widget (KkiaPay Mode B), so only a 'widget' gateway
  // serves it; otherwise a gateway whose only flow is the widget cannot (ADR 0017).
  useWidget?: boolean;
}

export interface RegistryOptions {
  // In development the mock takes what no configured gateway of the route can (seed: local dev).
  mockAsLastResort: boolean;
}

// Each gateway's `capabilities` is what THIS deployment can do (KkiaPay's push needs
// KKIAPAY_PUSH_PATH); GATEWAY_CAPABILITIES is what it can ever do. Routing reads the first.
export const servesFlow = (capabilities: GatewayCapabilities, useWidget: boolean): boolean =>
  useWidget ? capabilities.flows.includes('widget') : capabilities.flows.some((flow) => flow !== 'widget');

export const servesCountry = (capabilities: GatewayCapabilities, country: string): boolean =>
  capabilities.countries === 'any' || capabilities.countries.includes(country);

const flowName = (useWidget: boolean) => (useWidget ? 'the widget flow (useWidget: true)' : 'a server-side flow (without useWidget)');

// Builds a gateway's adapter: an import() of its module, run on first use (build-gateways.ts).
export type GatewayLoader = () => Promise<PaymentGateway>;

// Adapters are loaded on first use, each once: a create loads only its route's gateways, a
// webhook only its sender (ADR 0020). Tests hand in ready adapters.
export class GatewayRegistry {
  private readonly byId = new Map<GatewayId, GatewayLoader>();

  constructor(
    gateways: readonly PaymentGateway[],
    private readonly options: RegistryOptions,
    loaders: Partial<Record<GatewayId, GatewayLoader>> = {},
  ) {
    for (const [id, load] of Object.entries(loaders) as Array<[GatewayId, GatewayLoader]>) this.byId.set(id, onFirstUse(load));
    for (const gateway of gateways) this.byId.set(gateway.id, () => Promise.resolve(gateway));
  }

  // undefined: this deployment has not set the gateway up.
  async get(id: GatewayId): Promise<PaymentGateway | undefined> {
    return this.byId.get(id)?.();
  }

  async configured(): Promise<PaymentGateway[]> {
    const loaded = await Promise.all(GATEWAY_IDS.map((id) => this.get(id)));
    return loaded.filter((gateway): gateway is PaymentGateway => gateway?.isConfigured() === true);
  }

  // The gateways to try, in order: the override alone, or the country's route filtered to
  // configured gateways that take the currency and the country and serve the requested flow.
  async candidates(request: RouteRequest): Promise<PaymentGateway[]> {
    const useWidget = request.useWidget === true;
    if (request.gatewayOverride) return [this.overrideGateway(await this.get(request.gatewayOverride), request.gatewayOverride, request, useWidget)];
    const route = await Promise.all(routeForCountry(request.country).map((id) => this.get(id)));
    const reachable = route.filter((gateway): gateway is PaymentGateway => this.usable(gateway, request));
    const usable = reachable.filter((gateway) => servesFlow(gateway.capabilities, useWidget));
    if (usable.length === 0 && this.options.mockAsLastResort) {
      const mock = await this.get('mock');
      if (this.usable(mock, request) && servesFlow(mock.capabilities, useWidget)) return [mock];
    }
    if (usable.length === 0 && reachable.length > 0) {
      throw new DomainError(
        'PAYMENT_GATEWAY_ERROR',
        `No configured gateway offers ${flowName(useWidget)} for ${request.currency} payments in ${request.country}`,
      );
    }
    if (usable.length === 0) {
      throw new DomainError('PAYMENT_GATEWAY_ERROR', `No configured gateway accepts ${request.currency} payments in ${request.country}`);
    }
    return usable;
  }

  // What the gateway can never do is the client's mistake (400); what this deployment has not
  // set up (credentials, KkiaPay's push path, a MoMo country) is 402 PAYMENT_ERROR, as today.
  private overrideGateway(gateway: PaymentGateway | undefined, id: GatewayId, request: RouteRequest, useWidget: boolean): PaymentGateway {
    if (!gateway?.isConfigured()) {
      throw new DomainError('PAYMENT_ERROR', `Gateway ${id} is not available in this environment`);
    }
    const { capabilities } = gateway;
    if (!supportsCurrency(gateway, request.currency)) {
      throw validationError(`currency ${request.currency} is not supported by gateway ${id} (supported: ${capabilities.currencies.join(', ')})`);
    }
    const ever = GATEWAY_CAPABILITIES[id];
    if (!servesCountry(capabilities, request.country)) {
      const message = `country ${request.country} is not served by gateway ${id}`;
      if (!servesCountry(ever, request.country)) throw validationError(message);
      throw new DomainError('PAYMENT_ERROR', `${message} in this environment`);
    }
    if (!servesFlow(capabilities, useWidget)) {
      const message = `gateway ${id} does not offer ${flowName(useWidget)}`;
      if (!servesFlow(ever, useWidget)) throw validationError(message);
      throw new DomainError('PAYMENT_ERROR', `${message} in this environment (flows here: ${capabilities.flows.join(', ')})`);
    }
    return gateway;
  }

  private usable(gateway: PaymentGateway | undefined, request: RouteRequest): gateway is PaymentGateway {
    return (
      gateway !== undefined && gateway.isConfigured() && supportsCurrency(gateway, request.currency) && servesCountry(gateway.capabilities, request.country)
    );
  }
}
