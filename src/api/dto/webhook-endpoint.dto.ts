import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsObject, IsOptional, IsString, Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsAppId } from './common-fields.js';

const MAX_URL = 2048;

// ?appId=… — only with the operations key (an app key acts for its own app).
export class AppScopeQueryDto {
  @IsOptional()
  @IsAppId()
  appId?: string;
}

// Per event family, a URL that replaces the generic one (null: back to the generic URL).
export class FamilyUrlsDto {
  @IsOptional()
  @IsString({ message: 'urls.payments must be a string' })
  @MaxLength(MAX_URL, { message: `urls.payments must be at most ${MAX_URL} characters` })
  payments?: string | null;

  @IsOptional()
  @IsString({ message: 'urls.refunds must be a string' })
  @MaxLength(MAX_URL, { message: `urls.refunds must be at most ${MAX_URL} characters` })
  refunds?: string | null;

  @IsOptional()
  @IsString({ message: 'urls.payouts must be a string' })
  @MaxLength(MAX_URL, { message: `urls.payouts must be at most ${MAX_URL} characters` })
  payouts?: string | null;
}

class EndpointFieldsDto {
  @IsOptional()
  @IsObject({ message: 'urls must be an object with payments, refunds or payouts' })
  @ValidateNested()
  @Type(() => FamilyUrlsDto)
  urls?: FamilyUrlsDto;

  @IsOptional()
  @IsString({ message: 'description must be a string' })
  @Length(0, 200, { message: 'description must be at most 200 characters' })
  description?: string | null;

  @IsOptional()
  @IsIn(['enabled', 'disabled'], { message: 'status must be one of enabled, disabled' })
  status?: 'enabled' | 'disabled';
}

// POST /api/v1/webhook-endpoints
export class CreateWebhookEndpointDto extends EndpointFieldsDto {
  @IsDefined({ message: 'url is required' })
  @IsString({ message: 'url must be a string' })
  @MaxLength(MAX_URL, { message: `url must be at most ${MAX_URL} characters` })
  url!: string;
}

// PATCH /api/v1/webhook-endpoints/:id
export class UpdateWebhookEndpointDto extends EndpointFieldsDto {
  @IsOptional()
  @IsString({ message: 'url must be a string' })
  @MaxLength(MAX_URL, { message: `url must be at most ${MAX_URL} characters` })
  url?: string;
}

// POST /api/v1/webhook-endpoints/:id/rotate-secret
export class RotateSecretDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'overlapHours must be an integer' })
  @Min(0, { message: 'overlapHours must be at least 0' })
  @Max(168, { message: 'overlapHours must be at most 168 (7 days)' })
  overlapHours?: number;
}
