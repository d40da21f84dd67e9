// Prometheus metrics, counted in one place: a decorator around ChatCore.handle (every channel goes through it).
import { Hono } from 'hono';
import type { ChatCore } from '../chat';
import type { HandleOptions, Incoming, Outgoing } from '../domain';
import type { VoiceFailure, VoiceObserver } from '../voice';

/** Upper bounds (seconds) of the answer latency histogram. */
export const LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

type Labels = Record<string, string>;

class LabeledCounter {
  private readonly values = new Map<string, { labels: Labels; n: number }>();
  constructor(readonly name: string, readonly help: string) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = JSON.stringify(labels);
    const v = this.values.get(key) ?? { labels, n: 0 };
    v.n += by;
    this.values.set(key, v);
  }

  get(labels: Labels = {}): number {
    return this.values.get(JSON.stringify(labels))?.n ?? 0;
  }

  /** Counters without labels print 0 before their first increment so that dashboards see the series at once. */
  expose(unlabeled: boolean): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    if (unlabeled && this.values.size === 0) lines.push(`${this.name} 0`);
    for (const { labels, n } of this.values.values()) lines.push(`${this.name}${fmtLabels(labels)} ${round(n)}`);
    return lines;
  }
}

class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  constructor(readonly name: string, readonly help: string, readonly buckets: number[]) {
    this.counts = buckets.map(() => 0);
  }

  observe(seconds: number): void {
    this.sum += seconds;
    this.count += 1;
    this.buckets.forEach((le, i) => {
      if (seconds <= le) this.counts[i] += 1;
    });
  }

  get observations(): number {
    return this.count;
  }

  expose(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    this.buckets.forEach((le, i) => lines.push(`${this.name}_bucket{le="${le}"} ${this.counts[i]}`));
    lines.push(`${this.name}_bucket{le="+Inf"} ${this.count}`, `${this.name}_sum ${round(this.sum)}`, `${this.name}_count ${this.count}`);
    return lines;
  }
}

const round = (n: number): number => Math.round(n * 1e6) / 1e6;
const escapeLabel = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
function fmtLabels(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

/** The application's counters and the answer latency histogram. */
export class Metrics implements VoiceObserver {
  readonly questions = new LabeledCounter('questions_total', 'Questions answered, by channel and answer mode.');
  readonly declines = new LabeledCounter('declines_total', 'Questions answered with "no matching rule" (low retrieval confidence).');
  readonly checkins = new LabeledCounter('checkins_total', 'Attendance check-ins recorded (new check-ins only, not repeats).');
  readonly channelErrors = new LabeledCounter('channel_errors_total', 'Messages or webhook deliveries that failed, by channel.');
  // Voice notes: "received" is counted here for every channel; the transcriber reports the outcome.
  readonly voiceReceived = new LabeledCounter('voice_notes_received_total', 'Voice notes and audio files received, by channel.');
  readonly voiceTranscribedTotal = new LabeledCounter('voice_notes_transcribed_total', 'Voice notes transcribed into a usable question, by channel.');
  readonly voiceFailedTotal = new LabeledCounter('voice_notes_failed_total', 'Voice notes not transcribed, by channel and reason.');
  readonly voiceSeconds = new LabeledCounter('voice_audio_seconds_total', 'Seconds of audio transcribed.');
  readonly latency = new Histogram('answer_duration_seconds', 'Time to answer a question, from message to reply.', LATENCY_BUCKETS);
  private readonly startedAt = Date.now();
  /** Extra gauges computed at scrape time (e.g. index size). */
  private readonly gauges: { name: string; help: string; read: () => number | undefined }[] = [];

  gauge(name: string, help: string, read: () => number | undefined): void {
    this.gauges.push({ name, help, read });
  }

  channelError(channel: string): void {
    this.channelErrors.inc({ channel });
  }

  voiceTranscribed(channel: string, seconds: number | undefined): void {
    this.voiceTranscribedTotal.inc({ channel });
    if (seconds !== undefined) this.voiceSeconds.inc({}, seconds);
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

  /** Prometheus text exposition format 0.0.4. */
  expose(): string {
    const lines = [
      ...this.questions.expose(false),
      ...this.declines.expose(true),
      ...this.checkins.expose(true),
      ...this.channelErrors.expose(false),
      ...this.voiceReceived.expose(false),
      ...this.voiceTranscribedTotal.expose(false),
      ...this.voiceFailedTotal.expose(false),
      ...this.voiceSeconds.expose(true),
      ...this.latency.expose(),
      '# HELP process_start_time_seconds Start time of the process since the Unix epoch in seconds.',
      '# TYPE process_start_time_seconds gauge',
      `process_start_time_seconds ${Math.floor(this.startedAt / 1000)}`,
    ];
    for (const g of this.gauges) {
      let v: number | undefined;
      try {
        v = g.read();
      } catch {
        v = undefined;
      }
      if (v === undefined || !Number.isFinite(v)) continue;
      lines.push(`# HELP ${g.name} ${g.help}`, `# TYPE ${g.name} gauge`, `${g.name} ${v}`);
    }
    return lines.join('\n') + '\n';
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
  app.get('/metrics', (c) =>
    c.body(metrics.expose(), 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Cache-Control': 'no-store' }),
  );
  return app;
}
