import { describe, expect, it } from '@jest/globals';
import { emfLine } from '../../src/logging/emf.js';

describe('emfLine (CloudWatch Embedded Metric Format)', () => {
  it('declares both metrics under TkhPayments with the Env dimension, values at the top level', () => {
    const line = emfLine({ openReviewItems: 3, unknownOutcomesOverAnHour: 1 }, 'prod', new Date('2026-12-10T08:00:00.000Z'));
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({
      _aws: {
        Timestamp: Date.parse('2026-12-10T08:00:00.000Z'),
        CloudWatchMetrics: [
          {
            Namespace: 'TkhPayments',
            Dimensions: [['Env']],
            Metrics: [
              { Name: 'ReviewItemsOpen', Unit: 'Count' },
              { Name: 'UnknownOutcomesOverAnHour', Unit: 'Count' },
            ],
          },
        ],
      },
      Env: 'prod',
      ReviewItemsOpen: 3,
      UnknownOutcomesOverAnHour: 1,
    });
  });

  it('reports zeros too (an alarm needs the data point to go back to OK)', () => {
    const parsed = JSON.parse(emfLine({ openReviewItems: 0, unknownOutcomesOverAnHour: 0 }, 'dev'));
    expect(parsed).toMatchObject({ Env: 'dev', ReviewItemsOpen: 0, UnknownOutcomesOverAnHour: 0 });
    expect(typeof parsed._aws.Timestamp).toBe('number');
  });
});
