import { ConfigError, type Env } from './load-config.js';

// `npm start` (and `npm run dev`, which runs it) is the only way to get development defaults:
// npm names the running script in npm_lifecycle_event. `node dist/main.js` with NODE_ENV unset
// used to run with no authentication and a localhost base URL (issue 14).
const LOCAL_DEFAULTS = {
  PORT: '3002',
  PAYMENTS_TABLE_NAME: 'payments-local',
  AWS_REGION: 'ca-central-1',
} as const;

export const startedByNpmStart = (env: Env): boolean => env.npm_lifecycle_event === 'start';

// The environment main.ts runs with: development defaults only under `npm start` and never in
// production (where PUBLIC_BASE_URL and the table must be given).
export function localServerEnvironment(env: Env): Env {
  const nodeEnv = env.NODE_ENV?.trim() || (startedByNpmStart(env) ? 'development' : '');
  if (!nodeEnv) {
    throw new ConfigError(['NODE_ENV is required (development, test or production) unless started with `npm start`']);
  }
  if (nodeEnv === 'production') return { ...env, NODE_ENV: nodeEnv };
  const port = env.PORT?.trim() || LOCAL_DEFAULTS.PORT;
  return { ...LOCAL_DEFAULTS, PUBLIC_BASE_URL: `http://localhost:${port}`, ...env, NODE_ENV: nodeEnv };
}
