import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { KEYS, startTestApp, type TestApp } from '../support/test-app.js';

// Local rehearsal (issue 11): in development with no real gateway configured, the mock takes the
// KkiaPay widget and the MoMo/KkiaPay push, and its page plays the widget or the customer's phone.
describe('rehearsing widget and push flows against the mock (development, no gateway configured)', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());
  const create = (body: object) =>
    http()
      .post('/api/v1/intents')
      .set('X-API-Key', KEYS.kaba)
      .send({ amount: 500000, currency: 'XOF', country: 'BJ', ...body });
  const status = async (id: string) => (await http().get(`/api/v1/intents/${id}`).set('X-API-Key', KEYS.kaba)).body.status as string;

  beforeAll(async () => {
    t = await startTestApp({ NODE_ENV: 'development' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('useWidget: true → a mock widget whose Pay settles the intent and shows the transactionId', async () => {
    const intent = (await create({ metadata: { appId: 'kaba', referenceId: 'rehearse-widget' }, useWidget: true })).body;
    expect(intent).toMatchObject({ gateway: 'mock', paymentMode: 'widget', gatewayTransactionId: `mock_${intent.id}` });
    const page = await http().get(new URL(intent.paymentUrl).pathname);
    expect(page.text).toContain('Widget (KkiaPay Mode B)');
    expect(page.text).not.toContain('transactionId');
    await http().post(`/mock/pay/${intent.id}/pay`);
    expect(await status(intent.id)).toBe('succeeded');
    expect((await http().get(`/mock/pay/${intent.id}`)).text).toContain(`transactionId <code>mock_${intent.id}</code>`);
  });

  it('a phone and no returnUrl → a push played by the mock phone, which approves or declines', async () => {
    const approve = (await create({ metadata: { appId: 'kaba', referenceId: 'rehearse-push-1', phoneNumber: '+22961000000' } })).body;
    expect(approve).toMatchObject({ gateway: 'mock', paymentMode: 'push' });
    const page = await http().get(`/mock/pay/${approve.id}`);
    expect(page.text).toContain('Phone — mobile-money prompt');
    expect(page.text).toContain('Approve');
    expect(page.text).not.toContain('61000000');
    await http().post(`/mock/pay/${approve.id}/pay`);
    expect(await status(approve.id)).toBe('succeeded');

    const decline = (await create({ metadata: { appId: 'kaba', referenceId: 'rehearse-push-2', phoneNumber: '+22961000000' } })).body;
    await http().post(`/mock/pay/${decline.id}/decline`);
    expect(await status(decline.id)).toBe('failed');
  });

  it('with a returnUrl it stays the redirect checkout', async () => {
    const intent = (await create({ metadata: { appId: 'kaba', referenceId: 'rehearse-redirect', phoneNumber: '+22961000000' }, returnUrl: 'https://kaba.example/back' })).body;
    expect(intent).toMatchObject({ gateway: 'mock', paymentMode: 'redirect' });
  });
});
