import { defaultDependencies, type AppDependencies } from '../app.dependencies.js';
import { readEnvironment } from '../config/environment.js';
import { loadConfig } from '../config/load-config.js';
import { logger } from '../logging/logger.js';

let cached: AppDependencies | undefined;

// The non-HTTP Lambdas share the API's wiring (config, table, publisher) but not Nest.
export function handlerContext(): AppDependencies {
  if (!cached) {
    const config = loadConfig(readEnvironment());
    logger.setLevel(config.logLevel);
    cached = defaultDependencies(config);
  }
  return cached;
}
