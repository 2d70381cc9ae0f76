import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import request from 'supertest';
import type { FakeGatewayServer } from '../support/fake-gateway-server.js';
import { hostileRequest } from '../support/hostile/hostile-arbitraries.js';
import { describeFigures, emptyFigures, sendAndCheck, startHostileApp } from '../support/hostile/hostile-harness.js';
import type { TestApp } from '../support/test-app.js';

// HOSTILE_RUNS raises the count (npm run test:hostile: 10,000); npm test runs a bounded slice.
const RUNS = Number(process.env.HOSTILE_RUNS ?? 300);

describe('hostile input over every route (property-based)', () => {
  let t: TestApp;
  let fake: FakeGatewayServer;
  const figures = emptyFigures();

  beforeAll(async () => {
    ({ t, fake } = await startHostileApp());
  });
  afterAll(async () => {
    process.stdout.write(`\n${describeFigures('hostile input', figures)}\n`);
    await t.close();
    await fake.stop();
  });

  it(`${RUNS} generated requests: never a 5xx, always { statusCode, error, message }, nothing stored when rejected`, async () => {
    await fc.assert(
      fc.asyncProperty(hostileRequest, async (req) => {
        await sendAndCheck(t, req, figures);
      }),
      { numRuns: RUNS, endOnFailure: false },
    );
    expect(figures.requests).toBeGreaterThanOrEqual(RUNS);
    expect({ fiveXx: figures.fiveXx, offShape: figures.offShape, strayRecords: figures.strayRecords, examples: figures.examples }).toEqual({ fiveXx: 0, offShape: 0, strayRecords: 0, examples: [] });
    // The process is alive and still serves.
    expect((await request(t.app.getHttpServer()).get('/health')).status).toBe(200);
  }, 3_600_000);
});
