import { IsBoolean, IsDefined, IsIn, IsInt, IsObject, IsOptional, IsUrl, Max, MaxLength, Min } from 'class-validator';
import { GATEWAY_IDS, type GatewayId } from '../../domain/gateway-id.js';
import { CURRENCIES, MAX_AMOUNT_MINOR, type Currency } from '../../domain/money.js';
import { IsCountryCode } from './is-country-code.js';

// POST /api/v1/intents — seed 001 "Request Fields". Deeper metadata rules live in the domain.
export class CreateIntentDto {
  @IsDefined({ message: 'amount is required' })
  @IsInt({ message: 'amount must be an integer in the smallest currency unit (e.g. cents, francs)' })
  @Min(1, { message: 'amount must be greater than 0' })
  @Max(MAX_AMOUNT_MINOR, { message: `amount must not exceed ${MAX_AMOUNT_MINOR}` })
  amount!: number;

  @IsDefined({ message: 'currency is required' })
  @IsIn(CURRENCIES, { message: `currency must be one of ${CURRENCIES.join(', ')}` })
  currency!: Currency;

  @IsDefined({ message: 'country is required' })
  @IsCountryCode()
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
