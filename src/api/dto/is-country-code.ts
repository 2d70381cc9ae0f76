import { ValidateBy } from 'class-validator';
import { isCountryCode } from '../../domain/countries.js';

export const IsCountryCode = () =>
  ValidateBy({
    name: 'isCountryCode',
    validator: {
      validate: (value: unknown) => isCountryCode(value),
      defaultMessage: () => 'country must be an ISO 3166-1 alpha-2 code in upper case (e.g. BJ, NG, CA)',
    },
  });
