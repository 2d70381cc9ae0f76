import { IsDefined, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CURRENCIES, MAX_AMOUNT_MINOR, type Currency } from '../../domain/money.js';
import { IsCountryCode } from './is-country-code.js';

// POST /api/v1/disbursements — seed 001 (Benin: pay the business's mobile-money wallet).
export class CreateDisbursementDto {
  @IsDefined({ message: 'amount is required' })
  @IsInt({ message: 'amount must be an integer in the smallest currency unit (e.g. francs)' })
  @Min(1, { message: 'amount must be greater than 0' })
  @Max(MAX_AMOUNT_MINOR, { message: `amount must not exceed ${MAX_AMOUNT_MINOR}` })
  amount!: number;

  @IsDefined({ message: 'currency is required' })
  @IsIn(CURRENCIES, { message: `currency must be one of ${CURRENCIES.join(', ')}` })
  currency!: Currency;

  @IsDefined({ message: 'country is required' })
  @IsCountryCode()
  country!: string;

  @IsDefined({ message: 'phoneNumber is required' })
  @IsString({ message: 'phoneNumber must be a string' })
  @MaxLength(32, { message: 'phoneNumber must be at most 32 characters' })
  phoneNumber!: string;

  @IsDefined({ message: 'appId is required' })
  @Matches(/^[a-z][a-z0-9-]{1,31}$/, { message: 'appId must be 2-32 lower-case letters, digits or dashes, starting with a letter' })
  appId!: string;

  @IsDefined({ message: 'referenceId is required' })
  @IsString({ message: 'referenceId must be a string' })
  @MaxLength(128, { message: 'referenceId must be at most 128 characters' })
  referenceId!: string;

  @IsOptional()
  @IsString({ message: 'businessId must be a string' })
  @MaxLength(128, { message: 'businessId must be at most 128 characters' })
  businessId?: string;

  @IsOptional()
  @IsString({ message: 'intentId must be a string' })
  @MaxLength(64, { message: 'intentId must be at most 64 characters' })
  intentId?: string;
}
