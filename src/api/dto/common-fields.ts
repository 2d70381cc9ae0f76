import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { APP_ID_PATTERN } from '../../domain/metadata.js';
import { CURRENCIES, MAX_AMOUNT_MINOR } from '../../domain/money.js';
import { IsCountryCode } from './is-country-code.js';

// The money fields every request shares, with messages that name the field.
export const IsMinorUnitAmount = () =>
  applyDecorators(
    IsDefined({ message: 'amount is required' }),
    IsInt({ message: 'amount must be an integer in the smallest currency unit (e.g. cents, francs)' }),
    Min(1, { message: 'amount must be greater than 0' }),
    Max(MAX_AMOUNT_MINOR, { message: `amount must not exceed ${MAX_AMOUNT_MINOR}` }),
  );

export const IsSupportedCurrency = () =>
  applyDecorators(
    IsDefined({ message: 'currency is required' }),
    IsIn(CURRENCIES, { message: `currency must be one of ${CURRENCIES.join(', ')}` }),
  );

export const IsRequiredCountry = () => applyDecorators(IsDefined({ message: 'country is required' }), IsCountryCode());

export const IsAppId = () => Matches(APP_ID_PATTERN, { message: 'appId must be 2-32 lower-case letters, digits or dashes, starting with a letter' });

// ?cursor=…&limit=… of every paged listing.
export const IsPageCursor = () =>
  applyDecorators(
    IsOptional(),
    IsString({ message: 'cursor must be a string' }),
    MaxLength(2000, { message: 'cursor must be at most 2000 characters' }),
  );

export const IsPageLimit = (max: number) =>
  applyDecorators(
    IsOptional(),
    Type(() => Number),
    IsInt({ message: 'limit must be an integer' }),
    Min(1, { message: 'limit must be at least 1' }),
    Max(max, { message: `limit must be at most ${max}` }),
  );
