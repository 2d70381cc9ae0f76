export const GATEWAY_IDS = ['stripe', 'kkiapay', 'momo', 'paystack', 'tkh', 'mock'] as const;
export type GatewayId = (typeof GATEWAY_IDS)[number];

export function isGatewayId(value: unknown): value is GatewayId {
  return typeof value === 'string' && (GATEWAY_IDS as readonly string[]).includes(value);
}
