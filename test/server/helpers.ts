// Builds the real HTTP app over a temp fixture corpus (real retriever, chat core, attendance and feedback stores).
import type { HttpBindings } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Button } from '../../src/domain/chat';
import { createApp, type AppDeps } from '../../src/server/app';
import { instrumentCore, Metrics } from '../../src/server/metrics';
import type { AppEnv } from '../../src/server/types';
import type { Fixture } from '../helpers/fixture';

export const TRAINER_SESSION = 'trainer-session-0001';

export interface TestApp {
  app: Hono<AppEnv>;
  metrics: Metrics;
}

/** An app over the fixture; `over` replaces deps (config, attendance ...). */
export function appFor(fx: Fixture, over: Partial<AppDeps> = {}): TestApp {
  const metrics = over.metrics ?? new Metrics();
  const config = over.config ?? fx.config;
  const core = instrumentCore(fx.core({ config: { ...fx.config, ...config } }), metrics);
  const app = createApp({
    config,
    core,
    metrics,
    retriever: fx.retriever,
    attendance: fx.attendance,
    feedback: fx.feedback,
    ...over,
  });
  return { app, metrics };
}

/** The Node bindings @hono/node-server passes, reduced to what the app reads: the peer address. */
export function peer(remoteAddress: string): HttpBindings {
  return { incoming: { socket: { remoteAddress } } } as unknown as HttpBindings;
}

export const LOCAL = peer('127.0.0.1');
export const REMOTE = peer('203.0.113.7');

export interface ChatJson {
  text: string;
  citations: { title: string; label: string; where: string; docNumber?: string; url?: string }[];
  mode?: string;
  answerId?: string;
  buttons: Button[][];
  notice?: string;
  editButtons?: Button[][];
  files?: { filename: string; url: string }[];
  error?: string;
}

export async function chat(app: Hono<AppEnv>, body: unknown): Promise<{ status: number; json: ChatJson }> {
  const res = await app.request('/api/chat', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as ChatJson };
}

/** Opens an attendance session as the trainer and returns its code. */
export async function openSession(app: Hono<AppEnv>, className: string, sessionId = TRAINER_SESSION): Promise<string> {
  const { json } = await chat(app, { sessionId, text: `/mo ${className} 45` });
  const code = /Mã điểm danh: ([A-Z0-9]+)/.exec(json.text)?.[1];
  if (!code) throw new Error(`no code in: ${json.text}`);
  return code;
}
