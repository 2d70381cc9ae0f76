import type { MomoAccountSettings } from '../gateways/momo/momo-account.js';
import { isMomoCountry, MOMO_COUNTRIES, MOMO_SANDBOX, MOMO_TARGET_COUNTRY } from '../gateways/momo/momo-countries.js';
import type { MomoProductCredentials } from '../gateways/momo/momo-token.js';
import type { MomoSettings } from '../gateways/momo/momo.gateway.js';

type Env = Readonly<Record<string, string | undefined>>;

const PRODUCT_VARIABLES = ['SUBSCRIPTION_KEY', 'API_USER', 'API_KEY'] as const;
// MOMO_<CC>_TARGET_ENVIRONMENT, MOMO_<CC>_COLLECTION_API_USER, …: one more country's set.
const COUNTRY_VARIABLE = /^MOMO_([A-Z]{2})_(TARGET_ENVIRONMENT|(?:COLLECTION|DISBURSEMENT)_(?:SUBSCRIPTION_KEY|API_USER|API_KEY))$/;

const value = (env: Env, name: string): string | null => env[name]?.trim() || null;

function credentials(env: Env, prefix: string, product: 'COLLECTION' | 'DISBURSEMENT', problems: string[]): MomoProductCredentials {
  const [subscriptionKey, apiUser, apiKey] = PRODUCT_VARIABLES.map((name) => value(env, `${prefix}_${product}_${name}`));
  const set = [subscriptionKey, apiUser, apiKey].filter((v) => v !== null).length;
  // Half a set would be silently "not configured": say which values are missing.
  if (set > 0 && set < 3) problems.push(`${prefix}_${product}_SUBSCRIPTION_KEY, _API_USER and _API_KEY must be set together`);
  return { subscriptionKey: subscriptionKey ?? null, apiUser: apiUser ?? null, apiKey: apiKey ?? null };
}

const targetFor = (country: string): string | undefined => Object.keys(MOMO_TARGET_COUNTRY).find((target) => MOMO_TARGET_COUNTRY[target] === country);

// The MOMO_* set serves MOMO_COUNTRY, or the country its target environment names (ADR 0018); each
// MOMO_<CC>_* set found in the environment is one more country.
export function momoSettings(env: Env, baseUrl: string, timeoutMs: number, problems: string[]): Omit<MomoSettings, 'callbackBaseUrl'> {
  const targetEnvironment = value(env, 'MOMO_TARGET_ENVIRONMENT') ?? MOMO_SANDBOX;
  const country = value(env, 'MOMO_COUNTRY')?.toUpperCase() ?? null;
  const known = MOMO_COUNTRIES.join(', ');
  if (country !== null && !isMomoCountry(country)) problems.push(`MOMO_COUNTRY must be one of ${known} (got "${country}")`);
  if (country === null && targetEnvironment !== MOMO_SANDBOX && !MOMO_TARGET_COUNTRY[targetEnvironment]) {
    problems.push(`MOMO_COUNTRY is required when MOMO_TARGET_ENVIRONMENT ("${targetEnvironment}") is not one of ${Object.keys(MOMO_TARGET_COUNTRY).join(', ')}`);
  }
  const primaryCountry = country ?? MOMO_TARGET_COUNTRY[targetEnvironment] ?? null;
  const extra = [...new Set(Object.keys(env).flatMap((name) => COUNTRY_VARIABLE.exec(name)?.[1] ?? []))].sort();
  const otherCountries: MomoAccountSettings[] = [];
  for (const code of extra) {
    const prefix = `MOMO_${code}`;
    if (!isMomoCountry(code)) {
      problems.push(`${prefix}_*: ${code} is not a MoMo country (${known})`);
      continue;
    }
    if (code === primaryCountry) {
      problems.push(`${prefix}_*: ${code} is already served by the MOMO_* variables`);
      continue;
    }
    const target = value(env, `${prefix}_TARGET_ENVIRONMENT`) ?? targetFor(code) ?? '';
    if (target === MOMO_SANDBOX) problems.push(`${prefix}_TARGET_ENVIRONMENT: the sandbox belongs in the MOMO_* variables`);
    const collection = credentials(env, prefix, 'COLLECTION', problems);
    const disbursement = credentials(env, prefix, 'DISBURSEMENT', problems);
    otherCountries.push({ targetEnvironment: target, country: code, collection, disbursement });
  }
  return {
    baseUrl,
    targetEnvironment,
    country,
    timeoutMs,
    collection: credentials(env, 'MOMO', 'COLLECTION', []),
    disbursement: credentials(env, 'MOMO', 'DISBURSEMENT', []),
    otherCountries,
  };
}
