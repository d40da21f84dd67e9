// GET /api/documents and the validity the web console shows on a source, over a real corpus with sidecars.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webCitation } from '../../src/server/chat-api';
import type { Citation } from '../../src/domain/corpus';
import { REPO_ROOT } from '../fixtures/make-fixtures';
import { makeFixture, type Fixture } from '../helpers/fixture';
import { appFor, chat } from './helpers';

let fx: Fixture;

const LAWS = ['luat-to-chuc-chinh-quyen-dia-phuong-2015.txt', 'luat-cu-tru-2020.txt'];

beforeAll(async () => {
  // The fixture procedures plus two shipped law texts with their sidecars.
  const files = Object.fromEntries(
    LAWS.flatMap((f) => [f, `${f}.meta.yaml`]).map((g) => [`van-ban/${g}`, path.join(REPO_ROOT, 'corpus/van-ban', g)]),
  );
  fx = await makeFixture({ RATE_LIMIT_PER_MINUTE: '1000' }, { files });
});
afterAll(() => fx?.cleanup());

describe('GET /api/documents', () => {
  it('lists documents with their validity today and what replaced them', async () => {
    const res = await appFor(fx, { now: () => new Date('2026-12-07T05:00:00Z') }).app.request(
      '/api/documents?kind=regulation',
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { today: string; count: number; documents: Record<string, unknown>[] };
    expect(body.today).toBe('2026-12-07');
    expect(body.count).toBe(2);
    expect(body.documents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          docNumber: '77/2015/QH13',
          status: 'repealed',
          validity: 'repealed',
          validityLabel: 'hết hiệu lực',
          expiredFrom: '2025-03-01',
          replacedBy: '65/2025/QH15',
          currentReplacement: '65/2025/QH15',
        }),
        expect.objectContaining({
          docNumber: '68/2020/QH14',
          validity: 'in-force',
          validityLabel: 'còn hiệu lực',
          effectiveFrom: '2021-07-01',
          issued: '2020-11-13',
        }),
      ]),
    );
    const all = (await (await appFor(fx).app.request('/api/documents')).json()) as { count: number };
    expect(all.count).toBeGreaterThan(2);
  });

  it('/nguon tatca in the web console lists them, and a source from a repealed law carries its status', async () => {
    const t = appFor(fx);
    const { json } = await chat(t.app, { sessionId: 'docs-session-01', text: '/nguon tatca' });
    expect(json.text).toContain('Hết hiệu lực:\n• Luật Tổ chức chính quyền địa phương số 77/2015/QH13');
    const c: Citation = {
      docId: 'x',
      title: 'Luật Tổ chức chính quyền địa phương số 77/2015/QH13',
      docNumber: '77/2015/QH13',
      source: 'van-ban/x.txt',
      kind: 'regulation',
      article: 'Điều 2',
      chapter: 'Chương I',
      status: 'repealed',
      expiredFrom: '2025-03-01',
    };
    expect(webCitation(c)).toMatchObject({
      status: 'hết hiệu lực từ 01/3/2025',
      chapter: 'Chương I',
      where: 'Điều 2',
      label: 'Luật Tổ chức chính quyền địa phương số 77/2015/QH13 — Điều 2 [hết hiệu lực từ 01/3/2025]',
    });
    expect(webCitation({ ...c, status: 'in-force', expiredFrom: undefined }).status).toBeUndefined();
  });
});
