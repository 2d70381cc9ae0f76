import { buildRelay, type RelayWiring } from '../app.relay.js';
import { systemClock } from '../domain/clock.js';
import { createDocumentClient } from '../storage/dynamo-client.js';
import { onceWithConfig } from './lambda-config.js';

// The stream relay's wiring alone: the table, the publisher and outbound webhooks — no gateway
// adapters, so its bundle carries only its own code (issue 15).
export const relayContext: () => Promise<RelayWiring> = onceWithConfig((config) =>
  buildRelay(config, createDocumentClient({ region: config.awsRegion, endpoint: config.dynamodbEndpoint }), systemClock),
);
