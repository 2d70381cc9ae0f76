import type { GatewayId } from '../domain/gateway-id.js';
import { GATEWAY_CAPABILITIES } from './capabilities.js';
import { GatewayError, type CreatedPayment, type PaymentGateway } from './gateway.js';

// Stands in for a gateway that has no credentials (or no adapter yet): routing skips it.
export class UnconfiguredGateway implements PaymentGateway {
  readonly capabilities;

  constructor(readonly id: GatewayId) {
    this.capabilities = GATEWAY_CAPABILITIES[id];
  }

  isConfigured(): boolean {
    return false;
  }

  createPayment(): Promise<CreatedPayment> {
    return Promise.reject(new GatewayError(this.id, 'auth', `${this.id} is not configured`, false, true));
  }
}
