import type { GatewayId } from './gateway-id.js';

// Seed 001, "Gateway Routing", verbatim: primary first, then the fallbacks in order.
const WEST_CENTRAL_AFRICA = ['BJ', 'TG', 'CI', 'SN', 'ML', 'NE', 'BF', 'CM', 'GA', 'CG', 'TD', 'GN'];

const ROUTES: ReadonlyArray<{ countries: string[]; gateways: GatewayId[] }> = [
  { countries: WEST_CENTRAL_AFRICA, gateways: ['kkiapay', 'momo', 'stripe'] },
  { countries: ['GH'], gateways: ['momo', 'kkiapay', 'stripe'] },
  { countries: ['NG'], gateways: ['paystack', 'stripe', 'momo'] },
  { countries: ['CA', 'US', 'GB', 'FR'], gateways: ['stripe', 'tkh'] },
];

// "All others": Stripe, then KkiaPay, then MoMo -> Paystack.
export const DEFAULT_ROUTE: readonly GatewayId[] = ['stripe', 'kkiapay', 'momo', 'paystack'];

export function routeForCountry(country: string): readonly GatewayId[] {
  return ROUTES.find((route) => route.countries.includes(country))?.gateways ?? DEFAULT_ROUTE;
}
