import { isUuidV4 } from '../domain/clock.js';
import { DomainError } from '../domain/errors.js';
import type { PaymentIntent } from '../domain/intent.js';
import { MockGateway } from '../gateways/mock/mock.gateway.js';
import type { GatewayRegistry } from '../gateways/registry.js';
import type { HandleWebhookService } from './handle-webhook.service.js';
import type { IntentRepository } from './ports.js';

// The mock gateway's checkout: shows a mock intent and, on Pay/Decline, sends the webhook the
// mock gateway would send (signed when MOCK_WEBHOOK_SECRET is set) through the real pipeline.
export class MockCheckout {
  constructor(
    private readonly gateways: GatewayRegistry,
    private readonly intents: IntentRepository,
    private readonly webhooks: HandleWebhookService,
  ) {}

  async intent(intentId: string): Promise<PaymentIntent> {
    this.mock();
    const intent = isUuidV4(intentId) ? await this.intents.get(intentId) : null;
    if (!intent || intent.gateway !== 'mock') throw new DomainError('NOT_FOUND', `Mock payment not found: ${intentId.slice(0, 64)}`);
    return intent;
  }

  async complete(intentId: string, status: 'succeeded' | 'failed'): Promise<PaymentIntent> {
    const intent = await this.intent(intentId);
    const { rawBody, headers } = this.mock().signedWebhook({ gatewayTransactionId: intent.gatewayTransactionId, status, amount: intent.amount, currency: intent.currency });
    await this.webhooks.handle('mock', rawBody, headers);
    return this.intent(intentId);
  }

  private mock(): MockGateway {
    const gateway = this.gateways.get('mock');
    if (!(gateway instanceof MockGateway)) throw new DomainError('NOT_FOUND', 'The mock gateway is not available');
    return gateway;
  }
}
