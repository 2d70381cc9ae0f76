import { existsSync } from 'node:fs';
import type { Env } from './load-config.js';

// The one place that reads process.env. A local `.env` file, when present, fills in variables
// that the real environment does not set (the real environment always wins).
export function readEnvironment(options: { dotenvPath?: string } = {}): Env {
  const path = options.dotenvPath;
  if (path && existsSync(path)) process.loadEnvFile(path);
  return { ...process.env };
}
