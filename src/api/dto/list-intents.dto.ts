import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { INTENT_STATUSES, type IntentStatus } from '../../domain/intent.js';

export const MAX_INTENT_PAGE = 100;

// GET /api/v1/intents — one referenceId of one app (never a listing of everything).
export class ListIntentsQueryDto {
  @IsDefined({ message: 'referenceId is required' })
  @IsString({ message: 'referenceId must be a string' })
  @Length(1, 128, { message: 'referenceId must be 1-128 characters' })
  referenceId!: string;

  @IsOptional()
  @IsIn(INTENT_STATUSES, { message: `status must be one of ${INTENT_STATUSES.join(', ')}` })
  status?: IntentStatus;

  // Required with the operations key; an app key may only name its own app.
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]{1,31}$/, { message: 'appId must be 2-32 lower-case letters, digits or dashes, starting with a letter' })
  appId?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(MAX_INTENT_PAGE, { message: `limit must be at most ${MAX_INTENT_PAGE}` })
  limit?: number;

  @IsOptional()
  @IsString({ message: 'cursor must be a string' })
  @MaxLength(2000, { message: 'cursor must be at most 2000 characters' })
  cursor?: string;
}
