import { isUuidV4 } from '../domain/clock.js';
import { DomainError } from '../domain/errors.js';
import type { PaymentIntent } from '../domain/intent.js';
import { MockGateway } from '../gateways/mock/mock.gateway.js';
import type { GatewayRegistry } from '../gateways/registry.js';
import type { HandleWebhookService } from './handle-webhook.service.js';
import type { IntentRepository } from './ports.js';

// The mock gateway's checkout: shows a mock intent and, on Pay/Decline, sends the webhook the
// mock gateway would send (signed when MOCK_WEBHOOK_SECRET is set) through the real pipeline.
// With the secret set, page and actions need the signature from paymentUrl (issue 14).
export class MockCheckout {
  constructor(
    private readonly gateways: GatewayRegistry,
    private readonly intents: IntentRepository,
    private readonly webhooks: HandleWebhookService,
  ) {}

  async intent(intentId: string, signature: string | undefined): Promise<PaymentIntent> {
    const mock = await this.mock();
    // A bad signature looks like an unknown id, so ids cannot be probed.
    const readable = isUuidV4(intentId) && mock.pageSignatureValid(intentId, signature);
    const intent = readable ? await this.intents.get(intentId) : null;
    if (!intent || intent.gateway !== 'mock') throw new DomainError('NOT_FOUND', `Mock payment not found: ${intentId.slice(0, 64)}`);
    return intent;
  }

  async complete(intentId: string, signature: string | undefined, status: 'succeeded' | 'failed'): Promise<PaymentIntent> {
    const intent = await this.intent(intentId, signature);
    const webhook = { gatewayTransactionId: intent.gatewayTransactionId, status, amount: intent.amount, currency: intent.currency };
    const { rawBody, headers } = (await this.mock()).signedWebhook(webhook);
    await this.webhooks.handle('mock', rawBody, headers);
    return this.intent(intentId, signature);
  }

  // The query string that keeps the page's links signed (empty without a secret).
  async signatureQuery(intentId: string): Promise<string> {
    const signature = (await this.mock()).pageSignature(intentId);
    return signature ? `?signature=${signature}` : '';
  }

  private async mock(): Promise<MockGateway> {
    const gateway = await this.gateways.get('mock');
    if (!(gateway instanceof MockGateway)) throw new DomainError('NOT_FOUND', 'The mock gateway is not available');
    return gateway;
  }
}
