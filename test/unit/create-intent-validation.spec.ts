import { describe, expect, it } from '@jest/globals';
import { CreateIntentDto } from '../../src/api/dto/create-intent.dto.js';
import { validationPipe } from '../../src/api/validation.pipe.js';
import { normalizeMetadata } from '../../src/domain/metadata.js';
import { MAX_AMOUNT_MINOR, toMajorUnitString } from '../../src/domain/money.js';

const valid = () => ({ amount: 1000, currency: 'XOF', country: 'BJ', metadata: { appId: 'kaba', referenceId: 'inv-1' } });

async function problem(body: Record<string, unknown>): Promise<string | null> {
  try {
    await validationPipe.transform(body, { type: 'body', metatype: CreateIntentDto });
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('POST /intents body validation', () => {
  it('accepts the minimal valid body', async () => {
    expect(await problem(valid())).toBeNull();
  });

  it.each([
    [0, 'amount must be greater than 0'],
    [-100, 'amount must be greater than 0'],
    [10.5, 'amount must be an integer in the smallest currency unit (e.g. cents, francs)'],
    ['1000', 'amount must be an integer in the smallest currency unit (e.g. cents, francs)'],
    [MAX_AMOUNT_MINOR + 1, `amount must not exceed ${MAX_AMOUNT_MINOR}`],
    [undefined, 'amount is required'],
  ])('amount %p → %s', async (amount, message) => {
    expect(await problem({ ...valid(), amount })).toBe(message);
  });

  it('accepts the largest allowed amount', async () => {
    expect(await problem({ ...valid(), amount: MAX_AMOUNT_MINOR })).toBeNull();
  });

  it.each([['xof'], ['JPY'], [42]])('currency %p is rejected naming the nine currencies', async (currency) => {
    expect(await problem({ ...valid(), currency })).toBe('currency must be one of XOF, XAF, GNF, GHS, NGN, USD, EUR, CAD, GBP');
  });

  it.each([['bj'], ['XX'], ['BEN'], [null]])('country %p is rejected', async (country) => {
    expect(await problem({ ...valid(), country })).toMatch(/^country /);
  });

  it('rejects unknown top-level fields by name', async () => {
    expect(await problem({ ...valid(), amountt: 5 })).toBe('amountt is not an allowed field');
  });

  it('rejects a gatewayOverride outside the six ids', async () => {
    expect(await problem({ ...valid(), gatewayOverride: 'paypal' })).toBe(
      'gatewayOverride must be one of stripe, kkiapay, momo, paystack, tkh, mock',
    );
  });

  it('rejects a non-boolean useWidget and a non-URL returnUrl', async () => {
    expect(await problem({ ...valid(), useWidget: 'yes' })).toBe('useWidget must be a boolean');
    expect(await problem({ ...valid(), returnUrl: 'javascript:alert(1)' })).toBe('returnUrl must be an http(s) URL');
  });

  it('reports every broken field at once', async () => {
    expect(await problem({ amount: -1, currency: 'ABC', country: 'BJ', metadata: {} })).toBe(
      'amount must be greater than 0; currency must be one of XOF, XAF, GNF, GHS, NGN, USD, EUR, CAD, GBP',
    );
  });
});

describe('metadata rules', () => {
  const meta = (extra: Record<string, unknown>) => ({ appId: 'kaba', referenceId: 'inv-1', ...extra });
  const failure = (raw: unknown, country = 'BJ') => {
    try {
      normalizeMetadata(raw, country);
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  };

  it('requires appId and referenceId', () => {
    expect(failure({ referenceId: 'x' })).toBe('metadata.appId is required');
    expect(failure({ appId: 'kaba' })).toBe('metadata.referenceId is required');
    expect(failure({ appId: 'Kaba!', referenceId: 'x' })).toMatch(/^metadata.appId must be/);
  });

  it('requires string values, bounded in count and length', () => {
    expect(failure(meta({ customerId: 42 }))).toBe('metadata.customerId must be a string');
    expect(failure(meta({ note: 'x'.repeat(501) }))).toBe('metadata.note must be at most 500 characters');
    const tooMany = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, 'v']));
    expect(failure(meta(tooMany))).toBe('metadata must have at most 50 keys');
    expect(failure(['appId'])).toBe('metadata must be an object');
  });

  it('normalises phone numbers to E.164 using the intent country for national numbers', () => {
    expect(normalizeMetadata(meta({ phoneNumber: '0161000000' }), 'BJ').phoneNumber).toBe('+2290161000000');
    expect(normalizeMetadata(meta({ businessPhone: '+22997222222' }), 'BJ').businessPhone).toBe('+2290197222222');
    expect(normalizeMetadata(meta({ phoneNumber: '024 123 4567' }), 'GH').phoneNumber).toBe('+233241234567');
  });

  it('rejects numbers that are not phone numbers, naming the field', () => {
    expect(failure(meta({ phoneNumber: '12' }))).toMatch(/^metadata.phoneNumber /);
    expect(failure(meta({ businessPhone: 'call me' }))).toMatch(/^metadata.businessPhone /);
  });

  it('checks customerEmail', () => {
    expect(failure(meta({ customerEmail: 'not-an-email' }))).toBe('metadata.customerEmail must be a valid email address');
  });
});

describe('minor units', () => {
  it('formats major-unit strings per currency exponent', () => {
    expect(toMajorUnitString(500000, 'XOF')).toBe('500000');
    expect(toMajorUnitString(1050, 'USD')).toBe('10.50');
    expect(toMajorUnitString(7, 'GHS')).toBe('0.07');
  });
});
