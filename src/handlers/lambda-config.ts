import type { AppConfig } from '../config/app-config.js';
import { readLambdaEnvironment } from '../config/environment.js';
import { loadConfig } from '../config/load-config.js';
import { onFirstUse } from '../domain/on-first-use.js';
import { logger } from '../logging/logger.js';

// A handler's wiring, built once per container from the Lambda's config (SSM secrets read at
// cold start); a failed cold start is tried again by the next invocation, never cached.
export const onceWithConfig = <T>(build: (config: AppConfig) => T): (() => Promise<T>) =>
  onFirstUse(async () => {
    const config = loadConfig(await readLambdaEnvironment());
    logger.setLevel(config.logLevel);
    return build(config);
  });
