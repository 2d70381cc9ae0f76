import { IsDefined, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { IsPageCursor, IsPageLimit, IsAppId } from './common-fields.js';
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
  @IsAppId()
  appId?: string;

  @IsPageLimit(MAX_INTENT_PAGE)
  limit?: number;

  @IsPageCursor()
  cursor?: string;
}
