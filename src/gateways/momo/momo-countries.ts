import type { Currency } from '../../domain/money.js';

// MTN issues X-Target-Environment, subscription keys and API users per country (ADR 0018). The
// currency of each country's MoMo wallets; a production account takes that currency only.
export const MOMO_COUNTRY_CURRENCY = {
  BJ: 'XOF',
  CI: 'XOF',
  CM: 'XAF',
  CG: 'XAF',
  GN: 'GNF',
  GH: 'GHS',
} as const satisfies Record<string, Currency>;
export type MomoCountry = keyof typeof MOMO_COUNTRY_CURRENCY;
export const MOMO_COUNTRIES = Object.keys(MOMO_COUNTRY_CURRENCY) as MomoCountry[];

export const isMomoCountry = (value: string): value is MomoCountry => Object.hasOwn(MOMO_COUNTRY_CURRENCY, value);

// Production target environments (community-documented names, see docs/gateways/momo.md).
export const MOMO_TARGET_COUNTRY: Readonly<Record<string, MomoCountry>> = {
  mtnbenin: 'BJ',
  mtnivorycoast: 'CI',
  mtncameroon: 'CM',
  mtncongo: 'CG',
  mtnguineaconakry: 'GN',
  mtnghana: 'GH',
};

export const MOMO_SANDBOX = 'sandbox';
// MTN's sandbox only takes EUR.
export const MOMO_SANDBOX_CURRENCY = 'EUR' as const;

// The countries one credential set serves: the explicit country, else the one its target
// environment names; the sandbox stands in for every MoMo country unless a country is given.
export function momoAccountCountries(targetEnvironment: string, country: string | null): MomoCountry[] {
  if (country !== null) return isMomoCountry(country) ? [country] : [];
  const named = MOMO_TARGET_COUNTRY[targetEnvironment];
  if (named) return [named];
  return targetEnvironment === MOMO_SANDBOX ? [...MOMO_COUNTRIES] : [];
}
