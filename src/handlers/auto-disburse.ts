import type { SNSEvent } from 'aws-lambda';
import { buildServices, type AppServices } from '../app.services.js';
import type { PaymentEvent } from '../domain/payment-event.js';
import { handlerContext } from './handler-context.js';

let services: AppServices | undefined;

// SNS subscription (filter: eventType = payment.completed, gateway = kkiapay). A thrown error
// lets Lambda retry the delivery and then send it to the DLQ; a redelivery is harmless because
// each source intent is paid out at most once.
export async function handler(event: SNSEvent): Promise<void> {
  services ??= await buildServices(await handlerContext());
  for (const record of event.Records) {
    await services.autoDisburse.onEvent(JSON.parse(record.Sns.Message) as PaymentEvent);
  }
}
