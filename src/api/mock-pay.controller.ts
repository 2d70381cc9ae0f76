import { Controller, Get, Header, Inject, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { PaymentIntent } from '../domain/intent.js';
import { toMajorUnitString } from '../domain/money.js';
import { MockCheckout } from '../services/mock-checkout.service.js';

// GET /mock/pay/:intentId — the mock gateway's payment page (development and test only).
@Controller('mock/pay')
export class MockPayController {
  constructor(@Inject(MockCheckout) private readonly checkout: MockCheckout) {}

  @Get(':intentId')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async page(@Param('intentId') intentId: string): Promise<string> {
    return renderPage(await this.checkout.intent(intentId));
  }

  @Post(':intentId/pay')
  async pay(@Param('intentId') intentId: string, @Res() response: Response): Promise<void> {
    await this.checkout.complete(intentId, 'succeeded');
    response.redirect(303, `/mock/pay/${encodeURIComponent(intentId)}`);
  }

  @Post(':intentId/decline')
  async decline(@Param('intentId') intentId: string, @Res() response: Response): Promise<void> {
    await this.checkout.complete(intentId, 'failed');
    response.redirect(303, `/mock/pay/${encodeURIComponent(intentId)}`);
  }
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function renderPage(intent: PaymentIntent): string {
  const id = escapeHtml(intent.id);
  const amount = `${toMajorUnitString(intent.amount, intent.currency)} ${intent.currency}`;
  const open = intent.status === 'pending' || intent.status === 'processing';
  const actions = open
    ? `<form method="post" action="/mock/pay/${id}/pay"><button class="pay">Pay ${escapeHtml(amount)}</button></form>
       <form method="post" action="/mock/pay/${id}/decline"><button class="decline">Decline</button></form>`
    : `<p class="done">This payment is <strong>${escapeHtml(intent.status)}</strong>.</p>`;
  const back = intent.returnUrl && !open ? `<p><a href="${escapeHtml(intent.returnUrl)}">Return to the merchant</a></p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mock payment — ${escapeHtml(intent.referenceId)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}
.card{border:1px solid #ddd;border-radius:12px;padding:1.5rem}.amount{font-size:2rem;margin:.5rem 0}
form{display:inline-block;margin-right:.5rem}button{font-size:1rem;padding:.6rem 1.2rem;border-radius:8px;border:0;cursor:pointer}
.pay{background:#1a7f37;color:#fff}.decline{background:#eee}.muted{color:#666;font-size:.9rem}</style></head>
<body><div class="card"><p class="muted">TKH mock gateway — development only, no money moves</p>
<p>Reference <strong>${escapeHtml(intent.referenceId)}</strong> · ${escapeHtml(intent.appId)}</p>
<p class="amount">${escapeHtml(amount)}</p>${actions}${back}
<p class="muted">Intent ${id} · status ${escapeHtml(intent.status)}</p></div></body></html>`;
}
