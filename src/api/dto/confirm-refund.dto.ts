import { IsIn } from 'class-validator';

export const CONFIRM_OUTCOMES = ['succeeded', 'failed'] as const;

// POST /api/v1/intents/:id/refunds/:refundId/confirm — what the operator saw in the dashboard.
export class ConfirmRefundDto {
  @IsIn(CONFIRM_OUTCOMES, { message: `outcome must be one of: ${CONFIRM_OUTCOMES.join(', ')}` })
  outcome!: (typeof CONFIRM_OUTCOMES)[number];
}
