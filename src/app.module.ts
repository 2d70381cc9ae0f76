import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { ApiKeyGuard } from './api/api-key.guard.js';
import { ClientIpThrottlerGuard } from './api/client-ip-throttler.guard.js';
import { DisbursementsController } from './api/disbursements.controller.js';
import { ErrorFilter } from './api/error.filter.js';
import { GatewaysController } from './api/gateways.controller.js';
import { HealthController } from './api/health.controller.js';
import { IntentsController } from './api/intents.controller.js';
import { MockPayController } from './api/mock-pay.controller.js';
import { throttlersFor } from './api/rate-limits.js';
import { WebhooksController } from './api/webhooks.controller.js';
import { RefundsController } from './api/refunds.controller.js';
import { OpsController } from './api/ops.controller.js';
import { IntentLookupController } from './api/intent-lookup.controller.js';
import { OpenApiController } from './api/openapi.controller.js';
import { DocsController } from './api/docs.controller.js';
import type { AppDependencies } from './app.dependencies.js';
import { buildCreateIntent } from './app.create-intent.js';
import { APP_SERVICES, servicesOnFirstUse } from './app.services-on-first-use.js';
import { APP_CONFIG } from './config/app-config.js';
import { GatewayRegistry } from './gateways/registry.js';
import { logger } from './logging/logger.js';
import { AUTO_DISBURSE_FILTER } from './services/auto-disburse.service.js';
import { CreateIntentService } from './services/create-intent.service.js';
import { WebhookEndpointsController } from './api/webhook-endpoints.controller.js';
import { EventsController } from './api/events.controller.js';

// Every route the service serves (docs/openapi.json documents exactly these: test/unit/openapi.spec.ts).
export const CONTROLLERS = [
  IntentsController,
  DisbursementsController,
  GatewaysController,
  WebhooksController,
  MockPayController,
  HealthController,
  OpsController,
  RefundsController,
  IntentLookupController,
  OpenApiController,
  DocsController,
  WebhookEndpointsController,
  EventsController,
];

// Services are plain classes wired in app.create-intent.ts and app.services.ts, so nothing below
// the API depends on Nest.
@Module({})
export class AppModule {
  static register(deps: AppDependencies): DynamicModule {
    const services = servicesOnFirstUse(deps);
    // Locally the auto-disburser subscribes to the in-process bus (in AWS: an SNS subscription).
    deps.localBus?.subscribe('auto-disburse', AUTO_DISBURSE_FILTER, async (event) => {
      await services()
        .then(({ autoDisburse }) => autoDisburse.onEvent(event))
        .catch((error: unknown) => {
          logger.error('auto-disbursement failed', { intentId: event.intentId, error: String(error) });
        });
    });
    return {
      module: AppModule,
      imports: [ThrottlerModule.forRoot(throttlersFor(deps.rateLimits ?? deps.config.rateLimits, deps.config.apiKeys))],
      controllers: CONTROLLERS,
      providers: [
        { provide: APP_CONFIG, useValue: deps.config },
        { provide: APP_GUARD, useClass: ClientIpThrottlerGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
        ApiKeyGuard,
        { provide: GatewayRegistry, useValue: deps.gateways },
        { provide: CreateIntentService, useValue: buildCreateIntent(deps) },
        { provide: APP_SERVICES, useValue: services },
      ],
    };
  }
}
