import type { PaymentIntent } from '../domain/intent.js';
import { toMajorUnitString } from '../domain/money.js';

// The mock gateway's page (development and test only), read on its first request.
const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

// One page, three rehearsals (mockFlow): a checkout, the customer's phone for a push, the widget.
const VARIANTS: Partial<Record<PaymentIntent['paymentMode'], { title: string; pay: string }>> & { redirect: { title: string; pay: string } } = {
  redirect: { title: 'Checkout', pay: 'Pay' },
  push: { title: 'Phone — mobile-money prompt (MoMo / KkiaPay push)', pay: 'Approve' },
  widget: { title: 'Widget (KkiaPay Mode B)', pay: 'Pay' },
};

// Only what paying needs: amount and status. No app, reference or customer data, since teams
// share development servers.
export function renderPage(intent: PaymentIntent, query: string): string {
  const id = escapeHtml(intent.id);
  const signed = escapeHtml(query);
  const amount = `${toMajorUnitString(intent.amount, intent.currency)} ${intent.currency}`;
  const open = intent.status === 'pending' || intent.status === 'processing';
  const variant = VARIANTS[intent.paymentMode] ?? VARIANTS.redirect;
  const actions = open
    ? `<form method="post" action="/mock/pay/${id}/pay${signed}"><button class="pay">${variant.pay} ${escapeHtml(amount)}</button></form>
       <form method="post" action="/mock/pay/${id}/decline${signed}"><button class="decline">Decline</button></form>`
    : `<p class="done">This payment is <strong>${escapeHtml(intent.status)}</strong>.</p>`;
  // What KkiaPay's addSuccessListener would hand the frontend (here the intent is already settled).
  const transaction =
    intent.paymentMode === 'widget' && intent.status === 'succeeded' && intent.gatewayTransactionId
      ? `<p class="muted">transactionId <code>${escapeHtml(intent.gatewayTransactionId)}</code></p>`
      : '';
  // The merchant's URL only behind a signed link (a secret is set).
  const back = intent.returnUrl && !open && query ? `<p><a href="${escapeHtml(intent.returnUrl)}">Return to the merchant</a></p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mock payment</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}
.card{border:1px solid #ddd;border-radius:12px;padding:1.5rem}.amount{font-size:2rem;margin:.5rem 0}
form{display:inline-block;margin-right:.5rem}button{font-size:1rem;padding:.6rem 1.2rem;border-radius:8px;border:0;cursor:pointer}
.pay{background:#1a7f37;color:#fff}.decline{background:#eee}.muted{color:#666;font-size:.9rem}</style></head>
<body><div class="card"><p class="muted">TKH mock gateway — development only, no money moves</p>
<p class="variant">${variant.title}</p>
<p class="amount">${escapeHtml(amount)}</p>${actions}${transaction}${back}
<p class="muted">Intent ${id} · status ${escapeHtml(intent.status)}</p></div></body></html>`;
}
