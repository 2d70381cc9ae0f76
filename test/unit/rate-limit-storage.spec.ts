import { afterEach, describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { QueueThrottlerStorage } from '../../src/api/rate-limit-storage.js';

// The rate limiter's counters: QueueThrottlerStorage must answer every request as the library's
// ThrottlerStorageService does (ADR 0021's budgets, their 429s and Retry-After), only cheaper.
describe('QueueThrottlerStorage', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  type Step = { advanceMs: number; key: number; throttler: number; limit: number; ttlMs: number; blockMs: number };
  const step: fc.Arbitrary<Step> = fc.record({
    // Mostly forward, sometimes far (windows and blocks expire) or to the ms a hit expires, rarely
    // back (a clock correction).
    advanceMs: fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 0, max: 3_000 }) },
      { weight: 2, arbitrary: fc.integer({ min: 0, max: 90_000 }) },
      { weight: 2, arbitrary: fc.constantFrom(1_000, 5_000, 10_000) },
      { weight: 1, arbitrary: fc.integer({ min: -5_000, max: 0 }) },
    ),
    key: fc.integer({ min: 0, max: 2 }),
    throttler: fc.integer({ min: 0, max: 1 }),
    limit: fc.constantFrom(1, 2, 3, 5, 8),
    // Usually the budget's fixed ttl; sometimes another (a ttl resolved per request).
    ttlMs: fc.oneof({ weight: 9, arbitrary: fc.constant(10_000) }, { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 60_000 }) }),
    blockMs: fc.oneof(fc.constant(10_000), fc.constant(0), fc.integer({ min: 1_000, max: 30_000 })),
  });

  it('answers every sequence of requests as ThrottlerStorageService does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 300 }), async (steps) => {
        let now = 1_700_000_000_000;
        jest.spyOn(Date, 'now').mockImplementation(() => now);
        const library = new ThrottlerStorageService();
        const ours = new QueueThrottlerStorage();
        // The library forgets idle keys on a 60 s timer, ours on the first request 60 s after its
        // last sweep; which keys go is the same rule. Swept at the same moments, both answer alike.
        const librarySweep = (library as unknown as { evictIdleRecords(now: number): void }).evictIdleRecords.bind(library);
        let nextSweepAt = 0;
        try {
          for (const s of steps) {
            now += s.advanceMs;
            if (now >= nextSweepAt) {
              librarySweep(now);
              nextSweepAt = now + 60_000;
            }
            const args = [`k${s.key}`, s.ttlMs, s.limit, s.blockMs, `t${s.throttler}`] as const;
            expect(await ours.increment(...args)).toEqual(await library.increment(...args));
          }
        } finally {
          library.onApplicationShutdown();
          jest.restoreAllMocks();
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('blocks after the limit for the block duration, then counts afresh', async () => {
    let now = 0;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const storage = new QueueThrottlerStorage();
    const hit = () => storage.increment('apikey:app:a', 60_000, 2, 60_000, 'apikey');
    expect(await hit()).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
    expect((await hit()).isBlocked).toBe(false);
    now = 1_500;
    expect(await hit()).toEqual({ totalHits: 3, timeToExpire: 59, isBlocked: true, timeToBlockExpire: 60 });
    now = 61_500;
    expect(await hit()).toMatchObject({ totalHits: 1, timeToExpire: 60, isBlocked: false });
  });

  it('counts a window of 50,000 hits, then lets them expire', async () => {
    let now = 0;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const storage = new QueueThrottlerStorage();
    for (let i = 0; i < 50_000; i++) {
      now += 1;
      await storage.increment('apikey:app:a', 60_000, 1e9, 60_000, 'apikey');
    }
    const record = await storage.increment('apikey:app:a', 60_000, 1e9, 60_000, 'apikey');
    expect(record.totalHits).toBe(50_001);
    now += 60_000;
    expect((await storage.increment('apikey:app:a', 60_000, 1e9, 60_000, 'apikey')).totalHits).toBe(1);
  });

  it('forgets keys that have nothing left to count', async () => {
    let now = 0;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const storage = new QueueThrottlerStorage();
    for (let i = 0; i < 100; i++) await storage.increment(`default:198.51.100.${i}`, 60_000, 100, 60_000, 'default');
    const records = (storage as unknown as { records: Map<string, unknown> }).records;
    expect(records.size).toBe(100);
    now = 120_001;
    await storage.increment('default:203.0.113.1', 60_000, 100, 60_000, 'default');
    expect([...records.keys()]).toEqual(['default:203.0.113.1']);
  });
});
