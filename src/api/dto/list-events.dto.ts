import { IsIn, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsPageCursor, IsPageLimit } from './common-fields.js';
import { PAYMENT_EVENT_TYPES, type PaymentEventType } from '../../domain/payment-event.js';
import { AppScopeQueryDto } from './webhook-endpoint.dto.js';

export const MAX_EVENT_PAGE = 100;

// GET /api/v1/events
export class ListEventsQueryDto extends AppScopeQueryDto {
  @IsOptional()
  @IsIn(PAYMENT_EVENT_TYPES, { message: `type must be one of ${PAYMENT_EVENT_TYPES.join(', ')}` })
  type?: PaymentEventType;

  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 date-time, e.g. 2026-12-01T00:00:00Z' })
  since?: string;

  @IsPageCursor()
  cursor?: string;

  @IsPageLimit(MAX_EVENT_PAGE)
  limit?: number;
}

// POST /api/v1/events/:id/redeliver
export class RedeliverDto {
  @IsOptional()
  @IsString({ message: 'endpointId must be a string' })
  @MaxLength(255, { message: 'endpointId must be at most 255 characters' })
  endpointId?: string;
}
