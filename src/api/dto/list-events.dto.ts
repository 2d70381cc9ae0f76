import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { AppScopeQueryDto } from './webhook-endpoint.dto.js';

export const EVENT_TYPES = ['payment.completed', 'payment.failed', 'payment.refunded', 'disbursement.completed', 'disbursement.failed'] as const;
export const MAX_EVENT_PAGE = 100;

// GET /api/v1/events
export class ListEventsQueryDto extends AppScopeQueryDto {
  @IsOptional()
  @IsIn(EVENT_TYPES, { message: `type must be one of ${EVENT_TYPES.join(', ')}` })
  type?: (typeof EVENT_TYPES)[number];

  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 date-time, e.g. 2026-12-01T00:00:00Z' })
  since?: string;

  @IsOptional()
  @IsString({ message: 'cursor must be a string' })
  @MaxLength(2000, { message: 'cursor must be at most 2000 characters' })
  cursor?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(MAX_EVENT_PAGE, { message: `limit must be at most ${MAX_EVENT_PAGE}` })
  limit?: number;
}

// POST /api/v1/events/:id/redeliver
export class RedeliverDto {
  @IsOptional()
  @IsString({ message: 'endpointId must be a string' })
  @MaxLength(255, { message: 'endpointId must be at most 255 characters' })
  endpointId?: string;
}
