import type { ReviewReason } from '../services/ports.js';

export interface Guidance {
  whatHappened: string;
  whatToDo: string;
}

// One row per review reason: a new reason without a row fails to compile (Record over the union).
export const REVIEW_GUIDANCE: Record<ReviewReason, Guidance> = {
  unknown_transaction: {
    whatHappened:
      'A gateway reported a transaction that matches no payment intent (no gateway transaction id or partnerId of ours). ' +
      'Money may have been taken outside any intent, or the webhook belongs to another system on the same gateway account.',
    whatToDo:
      'Look the transaction up in the gateway dashboard (detail.gatewayTransactionId). If it is ours and paid, find the product ' +
      'order it belongs to and refund it in the dashboard or settle it with the product team; if it is not ours, resolve as "not ours".',
  },
  amount_missing: {
    whatHappened:
      'The gateway reported a success without a readable amount or currency, so it could not be compared with the intent. ' +
      'The intent was left as it was: it is not marked paid.',
    whatToDo:
      "Look the payment up in the gateway's dashboard. If it was paid in full, the next webhook or status query settles it; if not, contact the gateway and resolve this item with what you found.",
  },
  amount_mismatch: {
    whatHappened:
      'The gateway reported a success for a different amount or currency than the intent asked for (detail.expected vs detail.reported). ' +
      'The intent was left as it was: it is not marked paid.',
    whatToDo:
      'Check the transaction in the gateway dashboard. If the customer paid less, refund it there and ask the product to retry; ' +
      'if the gateway data is right and the intent is wrong, settle with the product team. Then resolve with what was done.',
  },
  second_transaction: {
    whatHappened:
      'An intent that was already paid received a second successful transaction (detail.transactionId, besides detail.paidBy): ' +
      'the customer paid twice.',
    whatToDo:
      'Refund the second transaction in the gateway dashboard (the intent keeps the first one), then resolve with the refund reference.',
  },
  success_after_terminal: {
    whatHappened:
      'A success arrived for an intent already failed or cancelled (detail.status). The money is real, but the intent and the product ' +
      'consider the payment lost.',
    whatToDo:
      'Confirm the transaction in the gateway dashboard, then either refund it there or have the product honour the order; ' +
      'resolve with which one.',
  },
  late_success: {
    whatHappened:
      'A success arrived after the intent expired or was cancelled. The payment was recorded and the product was told by an event, ' +
      'so the order may need to be honoured or refunded.',
    whatToDo:
      'Check with the product team that the late payment was handled (order honoured, or refunded with POST /api/v1/intents/:id/refund); ' +
      'resolve with what was done.',
  },
  webhook_endpoint_disabled: {
    whatHappened:
      "An app's webhook endpoint failed every attempt of a delivery for more than 72 hours with no success in that time, so it was " +
      'disabled (detail.appId, detail.endpointId, detail.url, detail.lastError). Its events are still in GET /api/v1/events (ADR 0019).',
    whatToDo:
      'Tell the product team: once their receiver answers 2xx again they re-enable it (PATCH /api/v1/webhook-endpoints/:id with ' +
      '{"status":"enabled"}) and replay what they missed (POST /api/v1/events/:id/redeliver). Resolve with who was told.',
  },
};

export const reviewGuidance = (reason: ReviewReason): Guidance => REVIEW_GUIDANCE[reason];
