import { defaultDependencies, type AppDependencies } from '../app.dependencies.js';
import { readLambdaEnvironment } from '../config/environment.js';
import { loadConfig } from '../config/load-config.js';
import { logger } from '../logging/logger.js';

let cached: Promise<AppDependencies> | undefined;

// The non-HTTP Lambdas share the API's wiring (config, table, publisher) but not Nest; built
// once per container (SSM secrets read at cold start).
export function handlerContext(): Promise<AppDependencies> {
  cached ??= (async () => {
    const config = loadConfig(await readLambdaEnvironment());
    logger.setLevel(config.logLevel);
    return defaultDependencies(config);
  })().catch((error: unknown) => {
    cached = undefined; // a failed cold start must not poison the container
    throw error;
  });
  return cached;
}
