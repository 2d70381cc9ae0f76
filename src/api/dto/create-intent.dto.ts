import { IsBoolean, IsDefined, IsIn, IsObject, IsOptional, IsUrl, MaxLength } from 'class-validator';
import { GATEWAY_IDS, type GatewayId } from '../../domain/gateway-id.js';
import type { Currency } from '../../domain/money.js';
import { IsMinorUnitAmount, IsRequiredCountry, IsSupportedCurrency } from './common-fields.js';

// POST /api/v1/intents — seed 001 "Request Fields". Deeper metadata rules live in the domain.
export class CreateIntentDto {
  @IsMinorUnitAmount()
  amount!: number;

  @IsSupportedCurrency()
  currency!: Currency;

  @IsRequiredCountry()
  country!: string;

  @IsDefined({ message: 'metadata is required (with appId and referenceId)' })
  @IsObject({ message: 'metadata must be an object' })
  metadata!: Record<string, unknown>;

  @IsOptional()
  @MaxLength(2048, { message: 'returnUrl must be at most 2048 characters' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'returnUrl must be an http(s) URL' })
  returnUrl?: string;

  @IsOptional()
  @IsIn(GATEWAY_IDS, { message: `gatewayOverride must be one of ${GATEWAY_IDS.join(', ')}` })
  gatewayOverride?: GatewayId;

  @IsOptional()
  @IsBoolean({ message: 'useWidget must be a boolean' })
  useWidget?: boolean;
}
