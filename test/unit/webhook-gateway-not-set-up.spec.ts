import { describe, expect, it } from '@jest/globals';
import { systemClock } from '../../src/domain/clock.js';
import { GatewayRegistry } from '../../src/gateways/registry.js';
import { HandleWebhookService } from '../../src/services/handle-webhook.service.js';

// Gateways are loaded only where set up (ADR 0020); a webhook to one that is not keeps its answer:
// a real gateway cannot be verified here (401), the mock outside development and test does not
// exist (404), nor does an unknown name. Nothing is read or stored before that answer.
describe('a webhook for a gateway this deployment has not set up', () => {
  const untouchable = new Proxy({}, { get: () => { throw new Error('nothing may be read or stored'); } });
  const service = new HandleWebhookService(new GatewayRegistry([], { mockAsLastResort: false }), untouchable as never, untouchable as never, systemClock);
  const body = Buffer.from('{"type":"payment_intent.succeeded"}');

  it.each(['stripe', 'kkiapay', 'momo', 'paystack', 'tkh'])('%s: 401, as an unverifiable signature', async (gateway) => {
    await expect(service.handle(gateway, body, {})).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: 'Invalid webhook signature' });
  });

  it.each(['mock', 'paypal'])('%s: 404, no such endpoint', async (gateway) => {
    await expect(service.handle(gateway, body, {})).rejects.toMatchObject({ code: 'NOT_FOUND', message: `No webhook endpoint for gateway: ${gateway}` });
  });
});
