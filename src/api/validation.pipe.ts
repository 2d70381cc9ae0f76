import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { classToPlain, plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate } from 'class-validator';
import { validationError } from '../domain/errors.js';

// The packages handed to the pipe by name: left to itself, the pipe loads them with
// import('class-validator'), a whole namespace a bundler cannot tree-shake, so every decorator
// (IsStrongPassword and the whole `validator` package, IsPhoneNumber and its metadata) would be
// read at cold start (ADR 0020). These are the functions the pipe calls: validate, and
// getMetadataStorage for its check of binary values in nested objects; plainToInstance and
// classToPlain.
const validatorPackage = { validate, getMetadataStorage };
const transformerPackage = { plainToInstance, classToPlain };

// Class-validator with unknown fields rejected; messages name the field ("metadata.appId …").
export const validationPipe = new ValidationPipe({
  validatorPackage,
  transformerPackage,
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => validationError(flatten(errors).join('; ')),
});

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {})
      .sort(([a], [b]) => rank(a) - rank(b))
      .map(([rule, message]) => (rule === 'whitelistValidation' ? `${path} is not an allowed field` : message));
    // Report the most basic broken rule per field (missing before wrong type before out of range).
    return [...own.slice(0, 1), ...flatten(error.children ?? [], path)];
  });
}

const RANGE_RULES = new Set(['min', 'max', 'maxLength', 'minLength']);
const rank = (rule: string): number => (rule === 'isDefined' ? 0 : RANGE_RULES.has(rule) ? 2 : 1);
