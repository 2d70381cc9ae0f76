import { IsDefined, IsString, Length } from 'class-validator';

// POST /api/v1/intents/verify-kkiapay — seed 001.
export class VerifyKkiapayDto {
  @IsDefined({ message: 'transactionId is required' })
  @IsString({ message: 'transactionId must be a string' })
  @Length(1, 128, { message: 'transactionId must be 1-128 characters' })
  transactionId!: string;

  @IsDefined({ message: 'intentId is required' })
  @IsString({ message: 'intentId must be a string' })
  @Length(1, 64, { message: 'intentId must be 1-64 characters' })
  intentId!: string;
}
