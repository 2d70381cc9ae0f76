import { defaultDependencies, type AppDependencies } from '../app.dependencies.js';
import { onceWithConfig } from './lambda-config.js';

// The reconciler and the auto-disburser share the API's wiring (config, table, publisher,
// gateways) but not Nest; built once per container (SSM secrets read at cold start).
export const handlerContext: () => Promise<AppDependencies> = onceWithConfig((config) => defaultDependencies(config));
