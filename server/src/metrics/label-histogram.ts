/*
 * A Prometheus histogram for observations made on every /v1 request. prom-client's Histogram
 * checks and hashes the label object on each `observe`; here the caller names the label set by a
 * key it already has (a string made once per set) and an observation is a map lookup, a bucket
 * search and three additions. It registers in a prom-client Registry like any metric and writes
 * the same lines as prom-client's Histogram would (a test compares the two).
 */

type Labels = Record<string, string>;

interface Series {
  labels: Labels;
  /** Observations per bucket (not cumulative); the last one is above every bound. */
  counts: Float64Array;
  sum: number;
  count: number;
}

/** One line of the output, shaped as prom-client's own histogram gives it to the Registry. */
interface MetricValue {
  labels: Record<string, string | number>;
  /** The series' labels (the Registry writes them after `labels`). */
  sharedLabels: Labels;
  value: number;
  metricName: string;
}

export interface LabelHistogramOptions {
  name: string;
  help: string;
  /** Upper bounds, ascending. */
  buckets: readonly number[];
}

export class LabelHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  private readonly bounds: readonly number[];
  private readonly series = new Map<string, Series>();

  constructor(options: LabelHistogramOptions) {
    this.name = options.name;
    this.help = options.help;
    this.bounds = [...options.buckets];
  }

  /** Adds `value` to the label set `key`; `labels` is called only the first time the key is seen. */
  observe(key: string, labels: () => Labels, value: number): void {
    if (!Number.isFinite(value)) return;
    let series = this.series.get(key);
    if (!series) {
      series = { labels: labels(), counts: new Float64Array(this.bounds.length + 1), sum: 0, count: 0 };
      this.series.set(key, series);
    }
    let bucket = 0;
    while (bucket < this.bounds.length && value > this.bounds[bucket]!) bucket++;
    series.counts[bucket]! += 1;
    series.sum += value;
    series.count += 1;
  }

  /** What prom-client's Registry reads: cumulative buckets, then sum and count, per label set. */
  get(): { name: string; help: string; type: string; aggregator: string; values: MetricValue[] } {
    const values: MetricValue[] = [];
    for (const s of this.series.values()) {
      let cumulative = 0;
      this.bounds.forEach((bound, i) => {
        cumulative += s.counts[i]!;
        values.push({ labels: { le: bound }, sharedLabels: s.labels, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { le: '+Inf' }, sharedLabels: s.labels, value: s.count, metricName: `${this.name}_bucket` });
      values.push({ labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    this.series.clear();
  }
}
