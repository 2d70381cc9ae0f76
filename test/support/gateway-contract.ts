import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { IntentStatus } from '../../src/domain/intent.js';
import type { CreatePaymentInput, CreatedPayment, PaymentGateway, WebhookContext, WebhookHeaders } from '../../src/gateways/gateway.js';
import { FakeGatewayServer } from './fake-gateway-server.js';

export interface SignedWebhook {
  rawBody: Buffer;
  headers: WebhookHeaders;
}

// What each adapter's spec provides; the shared suite below runs the same checks on all of them.
export interface GatewayContract {
  // Routes the fake needs for create and status queries (called once, before the suite).
  setupFake(fake: FakeGatewayServer): void;
  configured(baseUrl: string): PaymentGateway;
  unconfigured(): PaymentGateway;
  createInput: CreatePaymentInput;
  // What createPayment must return against the fake.
  expectCreated(created: CreatedPayment): void;
  // A webhook signed exactly as the gateway signs it, for an event the adapter handles.
  validWebhook(): SignedWebhook;
  // The same webhook with the signature made with another secret.
  wrongSecretWebhook(): SignedWebhook;
  // A correctly signed webhook of an event type we do not handle.
  unknownEventWebhook(): SignedWebhook;
  // Every documented gateway status and the status it maps onto; the fake must answer
  // getStatus(`status-case-<gatewayStatus>`) with that gateway status.
  statusCases: ReadonlyArray<readonly [gatewayStatus: string, ours: IntentStatus]>;
  // Where the webhook arrives (MoMo puts our reference in the callback path).
  webhookContext?: WebhookContext;
}

const removeSignatureHeaders = (headers: WebhookHeaders): WebhookHeaders =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !/signature|secret/i.test(name)));

export function runGatewayContract(name: string, contract: GatewayContract): void {
  describe(`${name}: gateway contract`, () => {
    const fake = new FakeGatewayServer();
    let gateway: PaymentGateway;

    beforeAll(async () => {
      contract.setupFake(fake);
      gateway = contract.configured(await fake.start());
    });
    afterAll(async () => {
      await fake.stop();
    });

    it('reports configured only with credentials', () => {
      expect(gateway.isConfigured()).toBe(true);
      expect(contract.unconfigured().isConfigured()).toBe(false);
    });

    it('creates a payment against the fake', async () => {
      contract.expectCreated(await gateway.createPayment(contract.createInput));
    });

    it('accepts a correctly signed webhook and parses it', () => {
      const { rawBody, headers } = contract.validWebhook();
      expect(() => gateway.verifyWebhook?.(rawBody, headers)).not.toThrow();
      expect(gateway.parseWebhook?.(rawBody, contract.webhookContext ?? { reference: null }).length).toBeGreaterThan(0);
    });

    it('rejects tampered, missing and wrong-secret signatures', () => {
      const { rawBody, headers } = contract.validWebhook();
      const auth = gateway.capabilities.webhookAuth;
      if (auth === 'none') {
        // Unsigned (MoMo): nothing to check here; the pipeline re-queries the gateway instead.
        expect(gateway.capabilities.requeryOnWebhook).toBe(true);
        return;
      }
      if (auth === 'signature') {
        const tampered = Buffer.from(rawBody.toString('utf8').replace(/\d/, (d) => String((Number(d) + 1) % 10)));
        expect(() => gateway.verifyWebhook?.(tampered, headers)).toThrow();
      } else {
        // A shared secret does not cover the body, so the status must be re-queried.
        expect(gateway.capabilities.requeryOnWebhook).toBe(true);
      }
      expect(() => gateway.verifyWebhook?.(rawBody, removeSignatureHeaders(headers))).toThrow();
      const wrong = contract.wrongSecretWebhook();
      expect(() => gateway.verifyWebhook?.(wrong.rawBody, wrong.headers)).toThrow();
    });

    it('parses unknown event types to []', () => {
      const { rawBody } = contract.unknownEventWebhook();
      expect(gateway.parseWebhook?.(rawBody, { reference: null })).toEqual([]);
    });

    it('maps every documented gateway status', async () => {
      for (const [gatewayStatus, ours] of contract.statusCases) {
        const status = await gateway.getStatus?.(`status-case-${gatewayStatus}`);
        expect([gatewayStatus, status?.status]).toEqual([gatewayStatus, ours]);
      }
    });

    it('declares capabilities that match the methods it implements', () => {
      const caps = gateway.capabilities;
      expect(typeof gateway.verifyWebhook).toBe('function');
      expect(typeof gateway.parseWebhook).toBe('function');
      expect(typeof gateway.getStatus).toBe('function');
      expect(typeof gateway.refund === 'function').toBe(true);
      expect(typeof gateway.disburse === 'function').toBe(caps.disburse);
    });
  });
}
