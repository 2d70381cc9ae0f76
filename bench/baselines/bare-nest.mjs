// Baseline: a bare Nest 12 app (Express adapter, serverless-express, one controller) doing the
// app's DynamoDB writes for POST /api/v1/intents, bundled with the same esbuild settings. Plain
// JS, so the decorators are applied by hand (what TypeScript's emit does).
import 'reflect-metadata';
import { configure } from '@codegenie/serverless-express';
import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { documentClient, recordIntent } from './intent-writes.mjs';

const db = documentClient();

class IntentsController {
  create(body) {
    return recordIntent(db, process.env.PAYMENTS_TABLE_NAME, body);
  }
}
const method = (decorator) => decorator(IntentsController.prototype, 'create', Object.getOwnPropertyDescriptor(IntentsController.prototype, 'create'));
method(Post());
method(HttpCode(201));
Body()(IntentsController.prototype, 'create', 0);
Controller('api/v1/intents')(IntentsController);

class AppModule {}
Module({ controllers: [IntentsController] })(AppModule);

let cached;
async function bootstrap() {
  const app = await NestFactory.create(AppModule, { logger: ['error'] });
  await app.init();
  return configure({ app: app.getHttpAdapter().getInstance() });
}

export const handler = async (event, context) => {
  cached ??= bootstrap();
  return (await cached)(event, context);
};
