import type { FakeResponse } from '../fake-gateway-server.js';
import { FakeProviderServer, jsonObject, type FakeRequest } from './fake-provider-server.js';

// A strict fake of Paystack's transaction and refund API. Paystack has NO idempotency key: every
// POST /refund that passes the checks creates one more refund, which is the behaviour the
// service must survive. Amounts are minor units (kobo, pesewas, cents), as on the wire.
// Verified (PaystackOSS/openapi src/assets/openapi at 9678dea, PaystackOSS/doc-code-snippets
// dist/api at 94af513, PaystackOSS/openapi errors/api-errors.json at ba5b3ef):
// - initialize body and answer; 400 duplicate reference body { status, message, meta, type, code };
//   the reference alphabet (alphanumeric and - . =); messages "email is not allowed to be empty",
//   "Invalid Amount Sent", "Invalid character in transaction reference".
// - verify answer; 404 for an unknown reference; message "Transaction reference not found".
// - refund create body and answer (status 'pending', message "Refund has been queued for
//   processing"); fetch and list shapes; list meta; 401 { status: false, message: 'Invalid key' };
//   "Transaction has been fully reversed" for a fully refunded transaction.
// - List Refunds filter `transaction` is "the transaction ID" (docs); the spec lists only
//   perPage, page, from, to.
// Assumed (no source found): the HTTP status of refund refusals (400) and unknown transaction
// (404, message "Transaction not found" is in the error list), the wording for a refund over the
// remaining amount or of an unpaid transaction, a non-numeric `transaction` filter being refused
// with "Transaction ID should be numeric." (a listed message), 'reversed' once fully refunded,
// 'Entity not found' (the spec's generic 404 example) for an unknown refund, the 5xx bodies.

export const PAYSTACK_ROUTES = {
  initialize: 'POST /transaction/initialize',
  verify: 'GET /transaction/verify/:reference',
  createRefund: 'POST /refund',
  listRefunds: 'GET /refund',
  fetchRefund: 'GET /refund/:id',
} as const;
export type PaystackRoute = (typeof PAYSTACK_ROUTES)[keyof typeof PAYSTACK_ROUTES];

export type PaystackTransactionStatus = 'abandoned' | 'success' | 'failed' | 'reversed';
export type PaystackRefundStatus = 'pending' | 'processing' | 'processed' | 'failed';

export interface PaystackFakeOptions {
  // When set, only this key is accepted; otherwise any `sk_…` bearer.
  secretKey?: string;
  // Status of new refunds: 'pending' as in Paystack's example, or 'processed'.
  refundStatus?: 'pending' | 'processed';
}

export interface PaystackTransaction {
  id: number;
  reference: string;
  accessCode: string;
  email: string;
  amount: number;
  currency: string;
  metadata: unknown;
  status: PaystackTransactionStatus;
  createdAt: string;
  paidAt: string | null;
}

export interface PaystackRefund {
  id: number;
  transactionId: number;
  amount: number;
  currency: string;
  status: PaystackRefundStatus;
  customerNote: string;
  merchantNote: string;
  createdAt: string;
}

const CURRENCIES = new Set(['GHS', 'KES', 'NGN', 'USD', 'ZAR']);
const LIVE_REFUND = new Set<PaystackRefundStatus>(['pending', 'processing', 'processed']);
const refused = (status: number, message: string, extra: Record<string, unknown> = {}): FakeResponse => ({ status, body: { status: false, message, ...extra } });

export class PaystackFake extends FakeProviderServer<PaystackRoute> {
  private readonly transactions: PaystackTransaction[] = [];
  private readonly refunds: PaystackRefund[] = [];
  private sequence = 0;

  constructor(private readonly options: PaystackFakeOptions = {}) {
    super({ serverError: { status: false, message: 'An error occurred' }, unavailable: { status: false, message: 'Service unavailable' } });
    this.route(PAYSTACK_ROUTES.initialize, this.authorized((req) => this.initialize(req)));
    this.route(PAYSTACK_ROUTES.verify, this.authorized((req) => this.verify(req)));
    this.route(PAYSTACK_ROUTES.createRefund, this.authorized((req) => this.createRefund(req)));
    this.route(PAYSTACK_ROUTES.listRefunds, this.authorized((req) => this.listRefunds(req)));
    this.route(PAYSTACK_ROUTES.fetchRefund, this.authorized((req) => this.fetchRefund(req)));
  }

  // The customer paid on the checkout page.
  succeed(reference: string): void {
    const transaction = this.mustFind(reference);
    if (transaction.status !== 'abandoned') throw new Error(`Paystack ${reference} is already ${transaction.status}`);
    Object.assign(transaction, { status: 'success', paidAt: new Date().toISOString() });
  }

  decline(reference: string): void {
    const transaction = this.mustFind(reference);
    if (transaction.status !== 'abandoned') throw new Error(`Paystack ${reference} is already ${transaction.status}`);
    transaction.status = 'failed';
  }

  // Paystack finishes a refund; 'failed' gives the money back to the merchant.
  processRefund(id: number, status: 'processed' | 'failed'): void {
    const refund = this.refunds.find((r) => r.id === id);
    if (!refund || !LIVE_REFUND.has(refund.status) || refund.status === 'processed') throw new Error(`Paystack refund ${id} cannot become ${status}`);
    refund.status = status;
    const transaction = this.transactions.find((t) => t.id === refund.transactionId);
    if (transaction) this.markReversal(transaction);
  }

  transaction(reference: string): Readonly<PaystackTransaction> | undefined {
    return this.transactions.find((t) => t.reference === reference);
  }

  // Minor units of refunds that exist and still take money back (not failed).
  refundedTotal(reference?: string): number {
    const only = reference === undefined ? undefined : this.transaction(reference)?.id;
    return this.refunds.filter((r) => LIVE_REFUND.has(r.status) && (only === undefined || r.transactionId === only)).reduce((sum, r) => sum + r.amount, 0);
  }

  refundCount(): number {
    return this.refunds.length;
  }

  transactionCount(): number {
    return this.transactions.length;
  }

  private initialize(req: FakeRequest): FakeResponse {
    const body = jsonObject(req);
    if (!body) return refused(400, 'Invalid request body');
    if (typeof body.email !== 'string' || !body.email) return refused(400, 'email is not allowed to be empty');
    const amount = minorAmount(body.amount);
    if (amount === undefined) return refused(400, 'Invalid Amount Sent');
    const currency = body.currency === undefined ? 'NGN' : body.currency;
    if (typeof currency !== 'string' || !CURRENCIES.has(currency)) return refused(400, 'Currency not supported by merchant');
    const reference = body.reference === undefined ? `T${100000000 + ++this.sequence}` : body.reference;
    if (typeof reference !== 'string' || !/^[A-Za-z0-9.=-]+$/.test(reference)) return refused(400, 'Invalid character in transaction reference');
    if (this.transaction(reference)) {
      return refused(400, 'Duplicate Transaction Reference', { meta: { nextStep: 'Try and create the Transaction or Charge with a new reference' }, type: 'validation_error', code: 'duplicate_reference' });
    }
    const accessCode = `fakeaccess${++this.sequence}`;
    this.transactions.push({ id: 4_000_000_000 + ++this.sequence, reference, accessCode, email: body.email, amount, currency, metadata: body.metadata ?? '', status: 'abandoned', createdAt: new Date().toISOString(), paidAt: null });
    return { status: 200, body: { status: true, message: 'Authorization URL created', data: { authorization_url: `https://checkout.paystack.com/${accessCode}`, access_code: accessCode, reference } } };
  }

  private verify(req: FakeRequest): FakeResponse {
    const transaction = this.transaction(req.params.reference ?? '');
    if (!transaction) return refused(404, 'Transaction reference not found');
    return { status: 200, body: { status: true, message: 'Verification successful', data: verifyData(transaction) } };
  }

  private createRefund(req: FakeRequest): FakeResponse {
    const body = jsonObject(req);
    if (!body || (typeof body.transaction !== 'string' && typeof body.transaction !== 'number')) return refused(400, 'transaction is required');
    const transaction = this.byReferenceOrId(String(body.transaction));
    if (!transaction) return refused(404, 'Transaction not found');
    const remaining = transaction.amount - this.refundedTotal(transaction.reference);
    if (transaction.status === 'reversed' || (transaction.status === 'success' && remaining <= 0)) return refused(400, 'Transaction has been fully reversed');
    if (transaction.status !== 'success') return refused(400, 'Cannot refund a transaction that was not successful');
    const amount = body.amount === undefined ? remaining : minorAmount(body.amount);
    if (amount === undefined) return refused(400, 'Invalid Amount Sent');
    if (amount > remaining) return refused(400, `Refund amount cannot be more than the unrefunded transaction amount (${remaining})`);
    if (body.currency !== undefined && body.currency !== transaction.currency) return refused(400, 'Refund currency must match the transaction currency');
    const refund: PaystackRefund = {
      id: 3_000_000 + ++this.sequence,
      transactionId: transaction.id,
      amount,
      currency: transaction.currency,
      status: this.options.refundStatus ?? 'pending',
      customerNote: typeof body.customer_note === 'string' ? body.customer_note : `Refund for transaction ${transaction.reference}`,
      merchantNote: typeof body.merchant_note === 'string' ? body.merchant_note : `Refund for transaction ${transaction.reference}`,
      createdAt: new Date().toISOString(),
    };
    this.refunds.push(refund);
    this.markReversal(transaction);
    return { status: 200, body: { status: true, message: 'Refund has been queued for processing', data: createdRefundData(refund, transaction) } };
  }

  private listRefunds(req: FakeRequest): FakeResponse {
    const filter = req.query.get('transaction');
    if (filter !== null && !/^\d+$/.test(filter)) return refused(400, 'Transaction ID should be numeric.');
    const currency = req.query.get('currency');
    const perPage = Number(req.query.get('perPage') ?? 50);
    const page = Number(req.query.get('page') ?? 1);
    const matching = this.refunds.filter((r) => (filter === null || r.transactionId === Number(filter)) && (currency === null || r.currency === currency));
    const data = matching.slice((page - 1) * perPage, page * perPage).map((r) => this.refundData(r));
    const meta = { total: matching.length, skipped: (page - 1) * perPage, perPage: String(perPage), page, pageCount: Math.max(1, Math.ceil(matching.length / perPage)) };
    return { status: 200, body: { status: true, message: 'Refunds retrieved', data, meta } };
  }

  private fetchRefund(req: FakeRequest): FakeResponse {
    const refund = this.refunds.find((r) => String(r.id) === req.params.id);
    return refund ? { status: 200, body: { status: true, message: 'Refund retrieved', data: this.refundData(refund) } } : refused(404, 'Entity not found');
  }

  // Fully refunded (by live refunds) shows as 'reversed'; a failed refund puts it back to 'success'.
  private markReversal(transaction: PaystackTransaction): void {
    if (transaction.status !== 'success' && transaction.status !== 'reversed') return;
    transaction.status = this.refundedTotal(transaction.reference) >= transaction.amount ? 'reversed' : 'success';
  }

  private refundData(refund: PaystackRefund): Record<string, unknown> {
    const transaction = this.transactions.find((t) => t.id === refund.transactionId);
    return {
      integration: 100982,
      transaction: refund.transactionId,
      dispute: null,
      settlement: null,
      id: refund.id,
      domain: 'test',
      currency: refund.currency,
      amount: refund.amount,
      status: refund.status,
      refunded_at: refund.status === 'processed' ? refund.createdAt : null,
      refunded_by: 'fake@paystack.test',
      customer_note: refund.customerNote,
      merchant_note: refund.merchantNote,
      deducted_amount: refund.amount,
      fully_deducted: true,
      createdAt: refund.createdAt,
      bank_reference: null,
      transaction_reference: transaction?.reference,
      reason: refund.merchantNote,
      refund_type: refund.amount === transaction?.amount ? 'full' : 'partial',
      transaction_amount: transaction?.amount,
    };
  }

  private byReferenceOrId(value: string): PaystackTransaction | undefined {
    return this.transaction(value) ?? (/^\d+$/.test(value) ? this.transactions.find((t) => t.id === Number(value)) : undefined);
  }

  private mustFind(reference: string): PaystackTransaction {
    const transaction = this.transactions.find((t) => t.reference === reference);
    if (!transaction) throw new Error(`Paystack fake has no transaction ${reference}`);
    return transaction;
  }

  private authorized(handler: (req: FakeRequest) => FakeResponse) {
    return (req: FakeRequest): FakeResponse => {
      const key = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
      const valid = key && (this.options.secretKey ? key === this.options.secretKey : key.startsWith('sk_'));
      return valid ? handler(req) : refused(401, 'Invalid key');
    };
  }
}

// Paystack takes the amount as an integer or an integer string ("20000" in its own examples).
function minorAmount(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  return typeof text === 'string' && /^[1-9]\d*$/.test(text) ? Number(text) : undefined;
}

function verifyData(transaction: PaystackTransaction): Record<string, unknown> {
  const gatewayResponse = { abandoned: 'The transaction was not completed', success: 'Successful', failed: 'Declined', reversed: 'Successful' }[transaction.status];
  return {
    id: transaction.id,
    domain: 'test',
    status: transaction.status,
    reference: transaction.reference,
    receipt_number: null,
    amount: transaction.amount,
    message: null,
    gateway_response: gatewayResponse,
    paid_at: transaction.paidAt,
    created_at: transaction.createdAt,
    channel: 'card',
    currency: transaction.currency,
    ip_address: null,
    metadata: transaction.metadata,
    fees: null,
    customer: { email: transaction.email },
    paidAt: transaction.paidAt,
    createdAt: transaction.createdAt,
    requested_amount: transaction.amount,
  };
}

function createdRefundData(refund: PaystackRefund, transaction: PaystackTransaction): Record<string, unknown> {
  return {
    transaction: { id: transaction.id, domain: 'test', reference: transaction.reference, amount: transaction.amount, paid_at: transaction.paidAt, channel: 'card', currency: transaction.currency },
    integration: 100982,
    deducted_amount: 0,
    channel: null,
    merchant_note: refund.merchantNote,
    customer_note: refund.customerNote,
    status: refund.status,
    refunded_by: 'fake@paystack.test',
    expected_at: refund.createdAt,
    currency: refund.currency,
    domain: 'test',
    amount: refund.amount,
    fully_deducted: false,
    id: refund.id,
    createdAt: refund.createdAt,
    updatedAt: refund.createdAt,
  };
}
