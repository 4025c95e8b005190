import { describe, expect, it } from 'vitest';
import { LabelHistogram } from './label-histogram.js';
import { Histogram, Registry } from 'prom-client';

const BUCKETS = [0.05, 0.1, 0.25, 1, 5];

describe('LabelHistogram', () => {
  it('writes the same text as prom-client’s Histogram for the same observations', async () => {
    const theirs = new Registry();
    const ours = new Registry();
    const reference = new Histogram({ name: 'x_seconds', help: 'Some "durations"', labelNames: ['model', 'status'], buckets: BUCKETS, registers: [theirs] });
    const histogram = new LabelHistogram({ name: 'x_seconds', help: 'Some "durations"', buckets: BUCKETS });
    ours.registerMetric(histogram as never);
    const observations: [string, string, number][] = [
      ['a', '200', 0.01], ['a', '200', 0.05], ['a', '200', 0.3], ['b "quoted"\n', '500', 7], ['a', '404', 1], ['a', '200', 0.1000001], ['b "quoted"\n', '500', 0],
    ];
    for (const [model, status, value] of observations) {
      reference.observe({ model, status }, value);
      histogram.observe(`${model}\0${status}`, () => ({ model, status }), value);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });

  it('calls for the labels once per set, skips values that are not numbers, and forgets everything on reset', () => {
    const histogram = new LabelHistogram({ name: 'y', help: 'y', buckets: BUCKETS });
    let made = 0;
    const labels = () => (made++, { model: 'm' });
    for (const v of [0.2, 0.3, NaN, Infinity]) histogram.observe('m', labels, v);
    expect(made).toBe(1);
    const count = histogram.get().values.find((v) => v.metricName === 'y_count');
    expect(count?.value).toBe(2);
    histogram.reset();
    expect(histogram.get().values).toEqual([]);
  });
});
