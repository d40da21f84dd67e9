// Prometheus metrics (prom-client), counted in one place: a decorator around ChatCore.handle (every channel goes
// through it).
import { Hono } from 'hono';
import { Counter, Gauge, Histogram, type Metric, Registry } from 'prom-client';
import type { ChatCore } from '../chat';
import { type Database, QUERY_BUCKETS } from '../db';
import type { HandleOptions, Incoming, Outgoing } from '../domain';
import type { VoiceFailure, VoiceObserver } from '../voice';

/** Upper bounds (seconds) of the answer latency histogram. */
const LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The application's counters and the answer latency histogram, in a registry of their own (prom-client). */
export class Metrics implements VoiceObserver {
  readonly registry = new Registry();
  private readonly questions = this.counter('questions_total', 'Questions answered, by channel and answer mode.', [
    'channel',
    'mode',
  ]);
  private readonly declines = this.counter(
    'declines_total',
    'Questions answered with "no matching rule" (low retrieval confidence).',
  );
  private readonly checkins = this.counter(
    'checkins_total',
    'Attendance check-ins recorded (new check-ins only, not repeats).',
  );
  private readonly channelErrors = this.counter(
    'channel_errors_total',
    'Messages or webhook deliveries that failed, by channel.',
    ['channel'],
  );
  // Voice notes: "received" is counted here for every channel; the transcriber reports the outcome.
  private readonly voiceReceived = this.counter(
    'voice_notes_received_total',
    'Voice notes and audio files received, by channel.',
    ['channel'],
  );
  private readonly voiceTranscribedTotal = this.counter(
    'voice_notes_transcribed_total',
    'Voice notes transcribed into a usable question, by channel.',
    ['channel'],
  );
  private readonly voiceFailedTotal = this.counter(
    'voice_notes_failed_total',
    'Voice notes not transcribed, by channel and reason.',
    ['channel', 'reason'],
  );
  private readonly voiceSeconds = this.counter('voice_audio_seconds_total', 'Seconds of audio transcribed.');
  private readonly latency = new Histogram({
    name: 'answer_duration_seconds',
    help: 'Time to answer a question, from message to reply.',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  constructor() {
    new Gauge({
      name: 'process_start_time_seconds',
      help: 'Start time of the process since the Unix epoch in seconds.',
      registers: [this.registry],
    }).set(Math.floor((Date.now() - process.uptime() * 1000) / 1000));
  }

  private counter(name: string, help: string, labelNames: string[] = []): Counter<string> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  /**
   * A gauge computed at scrape time (e.g. the index size); a read that fails or is not a number has no sample.
   * Registering a name again replaces the earlier gauge (an app built twice on one Metrics reads the latest).
   */
  gauge(name: string, help: string, read: () => number | undefined): void {
    const registry = this.registry;
    registry.removeSingleMetric(name);
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        let v: number | undefined;
        try {
          v = read();
        } catch {
          v = undefined;
        }
        if (v !== undefined && Number.isFinite(v)) this.set(v);
        else this.remove(); // no sample at all (reset() would expose 0)
      },
    });
  }

  /**
   * PostgreSQL pool gauges, failed statements and the statement latency histogram of this replica, read at scrape
   * time from the pool and the Database's QueryStats (which count every statement since start-up).
   */
  database(db: Pick<Database, 'pool' | 'stats'>): void {
    const { pool, stats } = db;
    this.gauge('db_pool_connections', "PostgreSQL connections open in this replica's pool.", () => pool.totalCount);
    this.gauge('db_pool_idle', 'Idle connections in the pool.', () => pool.idleCount);
    this.gauge('db_pool_waiting', 'Requests waiting for a connection.', () => pool.waitingCount);
    for (const name of ['db_query_errors_total', 'db_query_duration_seconds']) this.registry.removeSingleMetric(name);
    new Counter({
      name: 'db_query_errors_total',
      help: 'Statements that failed.',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(stats.errors);
      },
    });
    // The buckets are already counted by QueryStats: the histogram is exposed as it stands, not observed again.
    const h = 'db_query_duration_seconds';
    const histogram = {
      name: h,
      help: 'Time of one statement, from send to result.',
      type: 'histogram',
      aggregator: 'sum',
      get: async () => ({
        name: h,
        help: 'Time of one statement, from send to result.',
        type: 'histogram',
        aggregator: 'sum',
        values: [
          ...QUERY_BUCKETS.map((le, i) => ({ metricName: `${h}_bucket`, labels: { le }, value: stats.buckets[i] })),
          { metricName: `${h}_bucket`, labels: { le: '+Inf' }, value: stats.count },
          { metricName: `${h}_sum`, labels: {}, value: stats.sumSeconds },
          { metricName: `${h}_count`, labels: {}, value: stats.count },
        ],
      }),
      reset: () => {},
    };
    this.registry.registerMetric(histogram as unknown as Metric);
  }

  channelError(channel: string): void {
    this.channelErrors.inc({ channel });
  }

  voiceTranscribed(channel: string, seconds: number | undefined): void {
    this.voiceTranscribedTotal.inc({ channel });
    if (seconds !== undefined) this.voiceSeconds.inc(seconds);
  }

  voiceFailed(channel: string, reason: VoiceFailure): void {
    this.voiceFailedTotal.inc({ channel, reason });
  }

  /** Counts one handled message from its replies and the time it took. */
  record(m: Incoming, out: Outgoing[], seconds: number): void {
    let answered = false;
    if (m.kind === 'voice') this.voiceReceived.inc({ channel: m.channel });
    for (const o of out) {
      if (o.mode) {
        answered = true;
        this.questions.inc({ channel: m.channel, mode: o.mode });
        if (o.mode === 'declined') this.declines.inc();
      }
      if (o.outcome === 'checked-in') this.checkins.inc();
      if (o.outcome === 'failed') this.channelError(m.channel);
    }
    if (answered) this.latency.observe(seconds);
  }

  /** The current value of one series ("answer_duration_seconds_count" for a histogram's count); 0 when absent. */
  async value(name: string, labels: Record<string, string> = {}): Promise<number> {
    const base = name.replace(/_(count|sum|bucket)$/, '');
    const metric = this.registry.getSingleMetric(name) ?? this.registry.getSingleMetric(base);
    if (!metric) return 0;
    const { values } = await metric.get();
    const want = Object.entries(labels);
    const hit = values.find(
      (v) =>
        ((v as { metricName?: string }).metricName ?? name) === name &&
        Object.keys(v.labels).length === want.length &&
        want.every(([k, x]) => String(v.labels[k]) === x),
    );
    return hit?.value ?? 0;
  }

  /** Prometheus text exposition format. */
  expose(): Promise<string> {
    return this.registry.metrics();
  }
}

/** Wraps a chat core so that every message handled by any channel is counted. */
export function instrumentCore(core: ChatCore, metrics: Metrics): ChatCore {
  return {
    async handle(m: Incoming, opts?: HandleOptions): Promise<Outgoing[]> {
      const t0 = process.hrtime.bigint();
      try {
        const out = await core.handle(m, opts);
        metrics.record(m, out, Number(process.hrtime.bigint() - t0) / 1e9);
        return out;
      } catch (err) {
        metrics.channelError(m.channel);
        throw err;
      }
    },
  };
}

export function metricsRoutes(metrics: Metrics): Hono {
  const app = new Hono();
  app.get('/metrics', async (c) =>
    c.body(await metrics.expose(), 200, { 'Content-Type': metrics.registry.contentType, 'Cache-Control': 'no-store' }),
  );
  return app;
}
