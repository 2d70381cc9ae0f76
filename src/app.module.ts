import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { ApiKeyGuard } from './api/api-key.guard.js';
import { ClientIpThrottlerGuard } from './api/client-ip-throttler.guard.js';
import { ErrorFilter } from './api/error.filter.js';
import { GatewaysController } from './api/gateways.controller.js';
import { GatewayRegistry } from './gateways/registry.js';
import { HealthController } from './api/health.controller.js';
import { IntentsController } from './api/intents.controller.js';
import { MockPayController } from './api/mock-pay.controller.js';
import { WebhooksController } from './api/webhooks.controller.js';
import type { AppDependencies } from './app.dependencies.js';
import { APP_CONFIG } from './config/app-config.js';
import { CreateIntentService } from './services/create-intent.service.js';
import { GetIntentService } from './services/get-intent.service.js';
import { HandleWebhookService } from './services/handle-webhook.service.js';
import { IdempotencyService } from './services/idempotency.service.js';
import { MockCheckout } from './services/mock-checkout.service.js';
import { RecordPaymentOutcomeService } from './services/record-payment-outcome.service.js';
import { RefundIntentService } from './services/refund-intent.service.js';
import { VerifyKkiapayService } from './services/verify-kkiapay.service.js';
import { DynamoRefundStore } from './storage/refund.repository.js';
import { DynamoIdempotencyStore } from './storage/idempotency.repository.js';
import { DynamoIntentRepository } from './storage/intent.repository.js';
import { DynamoPaymentLifecycleStore } from './storage/payment-lifecycle.repository.js';

export const RATE_LIMIT = { limit: 100, ttlMs: 60_000 } as const;

// Services are plain classes wired here, so nothing below the API depends on Nest.
@Module({})
export class AppModule {
  static register(deps: AppDependencies): DynamicModule {
    const { config, db, gateways, clock, ids } = deps;
    const intents = new DynamoIntentRepository(db, config.tableName);
    const idempotency = new IdempotencyService(new DynamoIdempotencyStore(db, config.tableName), clock);
    const lifecycle = new DynamoPaymentLifecycleStore(db, config.tableName);
    const outcomes = new RecordPaymentOutcomeService(intents, lifecycle, deps.dispatcher, clock, ids);
    const webhooks = new HandleWebhookService(gateways, lifecycle, outcomes, clock);
    const refundStore = new DynamoRefundStore(db, config.tableName);
    const getIntent = new GetIntentService(intents, refundStore);
    const refunds = new RefundIntentService(getIntent, intents, refundStore, gateways, idempotency, deps.dispatcher, clock, ids);
    return {
      module: AppModule,
      imports: [ThrottlerModule.forRoot([{ ttl: RATE_LIMIT.ttlMs, limit: RATE_LIMIT.limit }])],
      controllers: [IntentsController, GatewaysController, WebhooksController, MockPayController, HealthController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: APP_GUARD, useClass: ClientIpThrottlerGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
        ApiKeyGuard,
        { provide: GatewayRegistry, useValue: gateways },
        { provide: CreateIntentService, useValue: new CreateIntentService(intents, gateways, idempotency, clock, ids) },
        { provide: GetIntentService, useValue: getIntent },
        { provide: RefundIntentService, useValue: refunds },
        {
          provide: VerifyKkiapayService,
          useValue: new VerifyKkiapayService(getIntent, intents, gateways, lifecycle, outcomes),
        },
        { provide: HandleWebhookService, useValue: webhooks },
        { provide: MockCheckout, useValue: new MockCheckout(gateways, intents, webhooks) },
      ],
    };
  }
}
