import { DomainError } from '../domain/errors.js';
import type { PaymentEvent } from '../domain/payment-event.js';
import type { FilterPolicy } from '../events/filter-policy.js';
import { logger } from '../logging/logger.js';
import type { DisburseService } from './disburse.service.js';
import type { IntentRepository } from './ports.js';

// The subscription's filter: in AWS the SNS filter policy, locally the in-process bus.
export const AUTO_DISBURSE_FILTER: FilterPolicy = { eventType: ['payment.completed'], gateway: ['kkiapay'] };

export type AutoDisburseResult = 'skipped' | 'no_business_phone' | 'disbursed' | 'already_disbursed' | 'not_payable';

// Benin flow (seed 001): a completed KkiaPay payment is paid out to metadata.businessPhone.
// It never touches the payment — payment.completed has already been published — and a
// redelivered event finds the same disbursement (one per source intent).
export class AutoDisburseService {
  constructor(
    private readonly intents: IntentRepository,
    private readonly disbursements: DisburseService,
  ) {}

  async onEvent(event: PaymentEvent): Promise<AutoDisburseResult> {
    if (event.type !== 'payment.completed' || event.gateway !== 'kkiapay' || !event.intentId) return 'skipped';
    const intent = await this.intents.get(event.intentId);
    const businessPhone = intent?.metadata.businessPhone;
    if (!intent || !businessPhone) {
      logger.warn(`WARN: KkiaPay payment ${event.intentId} completed but no businessPhone in metadata — manual disburse required`);
      return 'no_business_phone';
    }
    const created = await this.disbursements.create(
      { appId: intent.appId },
      {
        amount: intent.amount,
        currency: intent.currency,
        country: intent.country,
        phoneNumber: businessPhone,
        appId: intent.appId,
        referenceId: intent.referenceId,
        businessId: intent.metadata.businessId,
        intentId: intent.id,
      },
      null,
      intent,
    ).catch((error: unknown) => {
      // Refunded meanwhile, or no longer payable: retrying the delivery cannot change that.
      if (error instanceof DomainError && (error.code === 'PAYMENT_ERROR' || error.code === 'VALIDATION_ERROR')) return error;
      throw error;
    });
    if (created instanceof DomainError) {
      logger.warn(`WARN: KkiaPay payment ${intent.id} completed but cannot be paid out automatically — manual disburse required`, { reason: created.message });
      return 'not_payable';
    }
    const { value, replayed } = created;
    logger.info('auto-disbursement', { intentId: intent.id, disbursementId: value.id, status: value.status, replayed });
    return replayed ? 'already_disbursed' : 'disbursed';
  }
}
