import { applyDecorators } from '@nestjs/common';
import { IsDefined, IsIn, IsInt, Max, Min } from 'class-validator';
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
