import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { httpBody } from './api/http-body.middleware.js';
import { validationPipe } from './api/validation.pipe.js';
import type { AppDependencies } from './app.dependencies.js';
import { AppModule } from './app.module.js';
import { logger, nestLogger } from './logging/logger.js';
import { requestContext } from './logging/request-context.js';

export { defaultDependencies } from './app.dependencies.js';

// One Nest application, used by the local server, the Lambda handler and the e2e tests.
export async function createApp(deps: AppDependencies): Promise<NestExpressApplication> {
  logger.setLevel(deps.config.logLevel);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(deps), {
    bodyParser: false,
    logger: nestLogger,
  });
  app.disable('x-powered-by');
  app.use(requestContext);
  app.use(httpBody);
  app.useGlobalPipes(validationPipe);
  await app.init();
  return app;
}
