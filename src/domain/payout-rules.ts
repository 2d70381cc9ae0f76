import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { validationError } from './errors.js';

// The currency a mobile-money wallet of each payout country holds (MoMo and Moov markets).
const WALLET_CURRENCY: Readonly<Record<string, string>> = {
  BJ: 'XOF', TG: 'XOF', CI: 'XOF', SN: 'XOF', ML: 'XOF', NE: 'XOF', BF: 'XOF', GW: 'XOF',
  CM: 'XAF', GA: 'XAF', CG: 'XAF', TD: 'XAF', CF: 'XAF', GQ: 'XAF',
  GN: 'GNF', GH: 'GHS', NG: 'NGN',
};

// A payout's country, currency and wallet must agree: a GHS payout to a Ghana number is not a
// Benin payout, whatever `country` says.
export function checkPayoutDestination(input: { country: string; currency: string; phoneNumber: string }): void {
  const walletCurrency = WALLET_CURRENCY[input.country];
  if (walletCurrency !== undefined && walletCurrency !== input.currency) {
    throw validationError(`currency ${input.currency} is not the currency of mobile-money wallets in ${input.country} (${walletCurrency})`);
  }
  const phoneCountry = parsePhoneNumberFromString(input.phoneNumber)?.country;
  if (phoneCountry !== undefined && phoneCountry !== input.country) {
    throw validationError(`phoneNumber is a ${phoneCountry} number, not a ${input.country} one`);
  }
}

// The UTC day a payout counts against its app's daily cap.
export const payoutDay = (at: Date): string => at.toISOString().slice(0, 10);
