import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { IsPageCursor, IsPageLimit } from './common-fields.js';
import { OPEN_WORK_KINDS, type OpenWorkKind } from '../../domain/open-work-kind.js';

const MAX_PAGE = 100;

// GET /api/v1/ops/review-items
export class PageQueryDto {
  @IsPageCursor()
  cursor?: string;

  @IsPageLimit(MAX_PAGE)
  limit?: number;
}

// GET /api/v1/ops/open-work
export class OpenWorkQueryDto extends PageQueryDto {
  @IsDefined({ message: 'kind is required' })
  @IsIn(OPEN_WORK_KINDS, { message: `kind must be one of ${OPEN_WORK_KINDS.join(', ')}` })
  kind!: OpenWorkKind;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'olderThanMinutes must be an integer' })
  @Min(0, { message: 'olderThanMinutes must be at least 0' })
  @Max(525_600, { message: 'olderThanMinutes must be at most 525600 (a year)' })
  olderThanMinutes?: number;
}

// POST /api/v1/ops/review-items/:id/resolve
export class ResolveReviewDto {
  @IsDefined({ message: 'resolution is required' })
  @IsString({ message: 'resolution must be a string' })
  @Length(1, 500, { message: 'resolution must be 1-500 characters' })
  resolution!: string;

  @IsOptional()
  @IsString({ message: 'resolvedBy must be a string' })
  @Length(1, 100, { message: 'resolvedBy must be 1-100 characters' })
  resolvedBy?: string;
}
