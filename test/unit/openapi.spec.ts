import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { getMetadataStorage } from 'class-validator';
import { CreateIntentDto } from '../../src/api/dto/create-intent.dto.js';
import { toIntentResponse } from '../../src/api/intent.response.js';
import { CURRENCIES } from '../../src/domain/money.js';
import { GATEWAY_IDS } from '../../src/domain/gateway-id.js';
import { OPEN_WORK_GUIDANCE } from '../../src/domain/open-work-guidance.js';
import { sampleIntent } from '../support/intents.js';

// docs/openapi.json must stay true to the code: fields, enums and error codes.
const doc = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'));
const schemas = doc.components.schemas;

describe('docs/openapi.json', () => {
  it('documents exactly the request fields the DTO accepts', () => {
    const dtoFields = new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(CreateIntentDto, '', true, false)
        .map((meta) => meta.propertyName),
    );
    expect(Object.keys(schemas.CreateIntentRequest.properties).sort()).toEqual([...dtoFields].sort());
  });

  it('documents exactly the response fields', () => {
    const fields = Object.keys(toIntentResponse(sampleIntent())).sort();
    expect([...schemas.PaymentIntent.required].sort()).toEqual(fields);
    expect(Object.keys(schemas.PaymentIntent.properties).sort()).toEqual(fields);
  });

  it('lists the same currencies and gateways as the code', () => {
    expect(schemas.Currency.enum).toEqual([...CURRENCIES]);
    expect(schemas.GatewayId.enum).toEqual([...GATEWAY_IDS]);
  });

  it('lists every open-work state the operations view can return', () => {
    expect([...schemas.OpenWorkItem.properties.open.enum].sort()).toEqual(Object.keys(OPEN_WORK_GUIDANCE).sort());
  });
});

describe('docs/openapi.json events', () => {
  it('documents the event body in the order it is serialized', async () => {
    const { serializeEvent } = await import('../../src/domain/payment-event.js');
    const { paymentEventFor } = await import('../../src/domain/payment-event.js');
    const outbound = paymentEventFor(sampleIntent(), { eventId: 'e', type: 'payment.completed', paymentId: 'p', timestamp: 't' });
    expect(Object.keys(JSON.parse(serializeEvent(outbound.event)))).toEqual(schemas.PaymentEvent.required);
  });
});

describe('docs/openapi.json refunds', () => {
  it('documents exactly the refund response fields', async () => {
    const { toRefundResponse } = await import('../../src/api/intent.response.js');
    const refund = toRefundResponse({
      id: 'r', paymentId: 'p', intentId: 'i', amount: 1, currency: 'XOF', status: 'succeeded', gateway: 'mock',
      gatewayRefundId: null, gatewayOutcome: 'known', reason: null, createdAt: 't', updatedAt: 't',
    });
    expect(Object.keys(refund).sort()).toEqual([...schemas.Refund.required].sort());
  });
});

describe('docs/openapi.json disbursements', () => {
  it('documents exactly the disbursement request and response fields', async () => {
    const { toDisbursementResponse } = await import('../../src/api/disbursements.controller.js');
    const { CreateDisbursementDto } = await import('../../src/api/dto/create-disbursement.dto.js');
    const response = toDisbursementResponse({
      id: 'd', appId: 'a', referenceId: 'r', businessId: null, intentId: null, amount: 1, currency: 'XOF', country: 'BJ',
      phoneNumber: '+229', status: 'pending', provider: null, providerReference: null, failureReason: null, attempts: [],
      version: 1, createdAt: 't', updatedAt: 't',
    });
    expect(Object.keys(response).sort()).toEqual([...schemas.Disbursement.required].sort());
    const dtoFields = new Set(getMetadataStorage().getTargetValidationMetadatas(CreateDisbursementDto, '', true, false).map((m) => m.propertyName));
    expect(Object.keys(schemas.CreateDisbursementRequest.properties).sort()).toEqual([...dtoFields].sort());
  });
});
