import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { getMetadataStorage } from 'class-validator';
import { ListEventsQueryDto, RedeliverDto } from '../../src/api/dto/list-events.dto.js';
import { CreateWebhookEndpointDto, RotateSecretDto, UpdateWebhookEndpointDto } from '../../src/api/dto/webhook-endpoint.dto.js';
import { toDeliveryResponse, toEndpointResponse, toEndpointWithSecretResponse, toEventResponse, toEventWithDeliveriesResponse } from '../../src/api/webhook.response.js';
import { PAYMENT_EVENT_TYPES, paymentEventFor } from '../../src/domain/payment-event.js';
import type { WebhookEndpoint } from '../../src/domain/webhook-endpoint.js';
import type { WebhookDelivery } from '../../src/services/webhook-ports.js';
import { sampleIntent } from '../support/intents.js';

// docs/openapi.json stays true to the outbound-webhook routes (ADR 0019): fields, enums, routes.
const doc = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'));
const schemas = doc.components.schemas;
const fieldsOf = (dto: new () => object) =>
  [...new Set(getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).map((m) => m.propertyName))].sort();
const sorted = (o: object) => Object.keys(o).sort();

const endpoint: WebhookEndpoint = {
  id: 'e', appId: 'kaba', url: 'https://x', familyUrls: {}, description: null, status: 'enabled', disabledReason: null, disabledAt: null,
  lastSuccessAt: null, secrets: [{ secret: 'whsec_abcd', createdAt: 't', expiresAt: null }], version: 1, createdAt: 't', updatedAt: 't',
};
const delivery: WebhookDelivery = {
  eventId: 'ev', endpointId: 'e', appId: 'kaba', eventType: 'payment.completed', status: 'pending', failedReason: null, scheduledAttempts: 1,
  nextAttemptAt: 't', version: 2, createdAt: 't', updatedAt: 't',
  attempts: [{ at: 't', trigger: 'scheduled', url: 'https://x', outcome: 'failed', responseStatus: 500, latencyMs: 3, responseExcerpt: 'no', error: 'HTTP 500' }],
};
const stored = { event: paymentEventFor(sampleIntent(), { eventId: 'ev', type: 'payment.completed', paymentId: 'p', timestamp: 't' }).event, createdAt: 't', published: true };

describe('docs/openapi.json outbound webhooks', () => {
  it('documents the endpoint routes and the events routes', () => {
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      '/api/v1/webhook-endpoints', '/api/v1/webhook-endpoints/{id}', '/api/v1/webhook-endpoints/{id}/rotate-secret',
      '/api/v1/events', '/api/v1/events/{id}', '/api/v1/events/{id}/redeliver',
    ]));
    expect(Object.keys(doc.paths['/api/v1/webhook-endpoints/{id}']).sort()).toEqual(['delete', 'get', 'patch']);
  });

  it('documents exactly the request fields the DTOs accept', () => {
    expect(sorted(schemas.WebhookEndpointCreate.properties)).toEqual(fieldsOf(CreateWebhookEndpointDto));
    expect(sorted(schemas.WebhookEndpointUpdate.properties)).toEqual(fieldsOf(UpdateWebhookEndpointDto));
    expect(sorted(schemas.RotateSecretRequest.properties)).toEqual(fieldsOf(RotateSecretDto));
    expect(sorted(schemas.RedeliverRequest.properties)).toEqual(fieldsOf(RedeliverDto));
    const listParams = doc.paths['/api/v1/events'].get.parameters.map((p: { name: string }) => p.name).sort();
    expect(listParams).toEqual(fieldsOf(ListEventsQueryDto));
    expect(doc.paths['/api/v1/events'].get.parameters.find((p: { name: string }) => p.name === 'type').schema.enum).toEqual([...PAYMENT_EVENT_TYPES]);
  });

  it('documents exactly the response fields', () => {
    expect(sorted(toEndpointResponse(endpoint))).toEqual([...schemas.WebhookEndpoint.required].sort());
    expect(sorted(toEndpointResponse(endpoint))).toEqual(sorted(schemas.WebhookEndpoint.properties));
    expect(sorted(toEndpointWithSecretResponse({ endpoint, secret: 's' }))).toEqual([...schemas.WebhookEndpointWithSecret.required].sort());
    expect(sorted(toDeliveryResponse(delivery))).toEqual([...schemas.WebhookDelivery.required].sort());
    expect(sorted(toDeliveryResponse(delivery).attempts[0] as object)).toEqual([...schemas.WebhookAttempt.required].sort());
    expect(sorted(toEventResponse(stored))).toEqual([...schemas.Event.required].sort());
    expect(sorted(toEventWithDeliveriesResponse({ stored, deliveries: [delivery] }))).toEqual([...schemas.EventWithDeliveries.required].sort());
  });
});
