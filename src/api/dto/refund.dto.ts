import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { MAX_AMOUNT_MINOR } from '../../domain/money.js';

// POST /api/v1/intents/:id/refund — seed 001. Omit amount for the whole remaining amount.
export class RefundDto {
  @IsOptional()
  @IsInt({ message: 'amount must be an integer in the smallest currency unit (e.g. cents, francs)' })
  @Min(1, { message: 'amount must be greater than 0' })
  @Max(MAX_AMOUNT_MINOR, { message: `amount must not exceed ${MAX_AMOUNT_MINOR}` })
  amount?: number;

  @IsOptional()
  @IsString({ message: 'reason must be a string' })
  @MaxLength(500, { message: 'reason must be at most 500 characters' })
  reason?: string;
}
