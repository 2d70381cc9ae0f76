import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { httpBody } from './api/http-body.middleware.js';
import { validationPipe } from './api/validation.pipe.js';
import { AppModule, type AppDependencies } from './app.module.js';
import type { AppConfig } from './config/app-config.js';
import { systemClock, uuidGenerator } from './domain/clock.js';
import { buildGatewayRegistry } from './gateways/build-gateways.js';
import { logger, nestLogger } from './logging/logger.js';
import { createDocumentClient } from './storage/dynamo-client.js';

// Production wiring from config; tests pass their own clock, ids or gateways.
export function defaultDependencies(config: AppConfig, overrides: Partial<AppDependencies> = {}): AppDependencies {
  return {
    config,
    db: overrides.db ?? createDocumentClient({ region: config.awsRegion, endpoint: config.dynamodbEndpoint }),
    gateways: overrides.gateways ?? buildGatewayRegistry(config),
    clock: overrides.clock ?? systemClock,
    ids: overrides.ids ?? uuidGenerator,
  };
}

// One Nest application, used by the local server, the Lambda handler and the e2e tests.
export async function createApp(deps: AppDependencies): Promise<NestExpressApplication> {
  logger.setLevel(deps.config.logLevel);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(deps), {
    bodyParser: false,
    logger: nestLogger,
  });
  app.disable('x-powered-by');
  app.use(httpBody);
  app.useGlobalPipes(validationPipe);
  await app.init();
  return app;
}
