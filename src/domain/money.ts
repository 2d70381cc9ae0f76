// Money is always integer minor units plus an ISO 4217 code; conversion happens only in adapters.
export const CURRENCIES = ['XOF', 'XAF', 'GNF', 'GHS', 'NGN', 'USD', 'EUR', 'CAD', 'GBP'] as const;
export type Currency = (typeof CURRENCIES)[number];

// Minor-unit exponent per currency (francs have none; the others have cents, kobo, pesewas).
export const CURRENCY_EXPONENT: Record<Currency, 0 | 2> = {
  XOF: 0,
  XAF: 0,
  GNF: 0,
  GHS: 2,
  NGN: 2,
  USD: 2,
  EUR: 2,
  CAD: 2,
  GBP: 2,
};

// One ceiling for every currency: 10^11 minor units is 1 bn dollars/euros or 100 bn francs,
// far above any invoice and safely inside Number.MAX_SAFE_INTEGER and every gateway's limit.
export const MAX_AMOUNT_MINOR = 100_000_000_000;

export function isCurrency(value: unknown): value is Currency {
  return typeof value === 'string' && (CURRENCIES as readonly string[]).includes(value);
}

// Returns a problem description for an amount, or null when it is valid.
export function amountProblem(amount: unknown): string | null {
  if (typeof amount !== 'number' || !Number.isFinite(amount)) return 'amount must be a number';
  if (!Number.isInteger(amount)) return 'amount must be an integer in minor units (e.g. cents)';
  if (amount <= 0) return 'amount must be greater than 0';
  if (amount > MAX_AMOUNT_MINOR) return `amount must not exceed ${MAX_AMOUNT_MINOR}`;
  return null;
}

// Major-unit decimal string, e.g. 1050 USD -> "10.50", 500 XOF -> "500" (for gateways that want it).
export function toMajorUnitString(amount: number, currency: Currency): string {
  const exponent = CURRENCY_EXPONENT[currency];
  if (exponent === 0) return String(amount);
  const whole = Math.trunc(amount / 100);
  const cents = String(amount % 100).padStart(2, '0');
  return `${whole}.${cents}`;
}
