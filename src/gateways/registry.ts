import { DomainError, validationError } from '../domain/errors.js';
import type { GatewayId } from '../domain/gateway-id.js';
import type { Currency } from '../domain/money.js';
import { routeForCountry } from '../domain/routing-table.js';
import { supportsCurrency, type PaymentGateway } from './gateway.js';

export interface RouteRequest {
  country: string;
  currency: Currency;
  gatewayOverride?: GatewayId;
}

export interface RegistryOptions {
  // In development the mock takes what no configured gateway of the route can (seed: local dev).
  mockAsLastResort: boolean;
}

export class GatewayRegistry {
  private readonly byId: Map<GatewayId, PaymentGateway>;

  constructor(
    gateways: readonly PaymentGateway[],
    private readonly options: RegistryOptions,
  ) {
    this.byId = new Map(gateways.map((gateway) => [gateway.id, gateway]));
  }

  get(id: GatewayId): PaymentGateway | undefined {
    return this.byId.get(id);
  }

  configured(): PaymentGateway[] {
    return [...this.byId.values()].filter((gateway) => gateway.isConfigured());
  }

  // The gateways to try, in order: the override alone, or the country's route filtered to
  // configured gateways that take the currency.
  candidates(request: RouteRequest): PaymentGateway[] {
    if (request.gatewayOverride) return [this.overrideGateway(request.gatewayOverride, request.currency)];
    const usable = routeForCountry(request.country)
      .map((id) => this.byId.get(id))
      .filter((gateway): gateway is PaymentGateway => this.usable(gateway, request.currency));
    const mock = this.byId.get('mock');
    if (usable.length === 0 && this.options.mockAsLastResort && this.usable(mock, request.currency)) return [mock];
    if (usable.length === 0) {
      throw new DomainError(
        'PAYMENT_GATEWAY_ERROR',
        `No configured gateway accepts ${request.currency} payments in ${request.country}`,
      );
    }
    return usable;
  }

  private overrideGateway(id: GatewayId, currency: Currency): PaymentGateway {
    const gateway = this.byId.get(id);
    if (!gateway?.isConfigured()) {
      throw new DomainError('PAYMENT_ERROR', `Gateway ${id} is not available in this environment`);
    }
    if (!supportsCurrency(gateway, currency)) {
      throw validationError(
        `currency ${currency} is not supported by gateway ${id} (supported: ${gateway.capabilities.currencies.join(', ')})`,
      );
    }
    return gateway;
  }

  private usable(gateway: PaymentGateway | undefined, currency: Currency): gateway is PaymentGateway {
    return gateway !== undefined && gateway.isConfigured() && supportsCurrency(gateway, currency);
  }
}
