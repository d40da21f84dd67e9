// Button actions on the wire. Telegram carries a button as at most 64 bytes of callback data; these are the short
// strings of earlier versions ("fb:<id>:up", "tt:s:3:4"), so buttons already sent keep working. The web console
// sends the action itself as JSON, checked against actionSchema.
import { z } from 'zod';
import type { ButtonAction } from '../domain';

/** Telegram's limit for callback data. */
export const MAX_ACTION_BYTES = 64;

const index = z.number().int().min(0).max(1_000_000);
export const actionSchema: z.ZodType<ButtonAction> = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('vote'),
    answerId: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
    vote: z.enum(['up', 'down']),
  }),
  z.object({ type: z.literal('voted') }),
  z.object({ type: z.literal('catalog') }),
  z.object({ type: z.literal('field'), field: index }),
  z.object({
    type: z.literal('procedure'),
    docId: z
      .string()
      .min(1)
      .max(MAX_ACTION_BYTES)
      .regex(/^[^:\s]+$/),
  }),
  z.object({ type: z.literal('procedure-at'), index }),
  z.object({ type: z.literal('section'), procedure: index, section: index }),
]);

export function encodeAction(a: ButtonAction): string {
  switch (a.type) {
    case 'vote':
      return `fb:${a.answerId}:${a.vote}`;
    case 'voted':
      return 'fb:done';
    case 'catalog':
      return 'tt:home';
    case 'field':
      return `tt:f:${a.field}`;
    case 'procedure':
      return `tt:p:${a.docId}`;
    case 'procedure-at':
      return `tt:pi:${a.index}`;
    case 'section':
      return `tt:s:${a.procedure}:${a.section}`;
  }
}

const num = (s: string) => Number(s);

/** The action behind callback data, or undefined for data no button of ours carries. */
export function decodeAction(data: string): ButtonAction | undefined {
  let m: RegExpExecArray | null;
  if ((m = /^fb:([A-Za-z0-9_-]{1,32}):(up|down)$/.exec(data)))
    return { type: 'vote', answerId: m[1], vote: m[2] as 'up' | 'down' };
  if (data === 'fb:done') return { type: 'voted' };
  if (data === 'tt:home') return { type: 'catalog' };
  if ((m = /^tt:f:(\d{1,7})$/.exec(data))) return { type: 'field', field: num(m[1]) };
  if ((m = /^tt:pi:(\d{1,7})$/.exec(data))) return { type: 'procedure-at', index: num(m[1]) };
  if ((m = /^tt:s:(\d{1,7}):(\d{1,7})$/.exec(data)))
    return { type: 'section', procedure: num(m[1]), section: num(m[2]) };
  if ((m = /^tt:p:([^:\s]{1,60})$/.exec(data))) return { type: 'procedure', docId: m[1] };
  return undefined;
}
