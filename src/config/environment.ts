import { existsSync } from 'node:fs';
import type { Env } from './load-config.js';

// The one place that reads process.env. A local `.env` file, when present, fills in variables
// that the real environment does not set (the real environment always wins).
export function readEnvironment(options: { dotenvPath?: string } = {}): Env {
  const path = options.dotenvPath;
  if (path && existsSync(path)) process.loadEnvFile(path);
  return { ...process.env };
}

// Lambda: the environment plus, when SSM_PARAMETER_PATH is set, the secrets stored there. The
// real environment wins, so an operator can override one value without touching SSM.
export async function readLambdaEnvironment(): Promise<Env> {
  const env = readEnvironment();
  if (!env.SSM_PARAMETER_PATH) return env;
  const { loadSsmParameters } = await import('./ssm-parameters.js');
  return { ...(await loadSsmParameters(env.SSM_PARAMETER_PATH)), ...env };
}
