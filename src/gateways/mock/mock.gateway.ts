import { GATEWAY_CAPABILITIES } from '../capabilities.js';
import type { CreatedPayment, CreatePaymentInput, PaymentGateway } from '../gateway.js';

// Development/test gateway: every currency, a local "payment page", settles via POST /webhooks/mock.
export class MockGateway implements PaymentGateway {
  readonly id = 'mock' as const;
  readonly capabilities = GATEWAY_CAPABILITIES.mock;

  constructor(private readonly publicBaseUrl: string) {}

  isConfigured(): boolean {
    return true;
  }

  createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
    return Promise.resolve({
      gatewayTransactionId: `mock_${input.intentId}`,
      paymentUrl: `${this.publicBaseUrl}/mock/pay/${input.intentId}`,
      clientSecret: null,
      paymentMode: 'redirect',
    });
  }
}
