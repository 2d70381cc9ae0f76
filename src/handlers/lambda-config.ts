import type { AppConfig } from '../config/app-config.js';
import { readLambdaEnvironment } from '../config/environment.js';
import { loadConfig } from '../config/load-config.js';
import { logger } from '../logging/logger.js';

// A handler's wiring, built once per container from the Lambda's config (SSM secrets read at
// cold start); a failed cold start is tried again by the next invocation, never cached.
export function onceWithConfig<T>(build: (config: AppConfig) => T): () => Promise<T> {
  let cached: Promise<T> | undefined;
  return () => {
    cached ??= (async () => {
      const config = loadConfig(await readLambdaEnvironment());
      logger.setLevel(config.logLevel);
      return build(config);
    })().catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
    return cached;
  };
}
