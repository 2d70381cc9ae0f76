import { IsDefined, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import type { Currency } from '../../domain/money.js';
import { IsMinorUnitAmount, IsRequiredCountry, IsSupportedCurrency, IsAppId } from './common-fields.js';

// POST /api/v1/disbursements — seed 001 (Benin: pay the business's mobile-money wallet).
export class CreateDisbursementDto {
  @IsMinorUnitAmount()
  amount!: number;

  @IsSupportedCurrency()
  currency!: Currency;

  @IsRequiredCountry()
  country!: string;

  @IsDefined({ message: 'phoneNumber is required' })
  @IsString({ message: 'phoneNumber must be a string' })
  @MaxLength(32, { message: 'phoneNumber must be at most 32 characters' })
  phoneNumber!: string;

  @IsDefined({ message: 'appId is required' })
  @IsAppId()
  appId!: string;

  @IsDefined({ message: 'referenceId is required' })
  @IsString({ message: 'referenceId must be a string' })
  // Empty was accepted (intents reject it: issue 14).
  @Length(1, 128, { message: 'referenceId must be 1-128 characters' })
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
