import { configure } from '@codegenie/serverless-express';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { createApp, defaultDependencies } from './app.factory.js';
import { readLambdaEnvironment } from './config/environment.js';
import { loadConfig } from './config/load-config.js';

type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

// Created once per container on the first invocation and reused by every later one.
let cached: Promise<ProxyHandler> | undefined;

async function bootstrap(): Promise<ProxyHandler> {
  const app = await createApp(defaultDependencies(loadConfig(await readLambdaEnvironment())));
  const expressApp = app.getHttpAdapter().getInstance();
  return configure({ app: expressApp }) as unknown as ProxyHandler;
}

export const handler: ProxyHandler = async (event, context) => {
  cached ??= bootstrap().catch((error: unknown) => {
    cached = undefined; // a failed cold start must not poison the container
    throw error;
  });
  return (await cached)(event, context);
};
