// Turning a transcription server's text into a question: clean it, join spelled-out codes, and recognise the
// two ways a transcript can be useless — nothing was said, or the server produced noise.
import { cleanText, collapseWhitespace, fold } from '../text';

/** Longer transcripts are cut (the chat core then truncates to MAX_QUESTION_CHARS with a note). */
const MAX_CHARS = 4000;

/**
 * What Whisper-family models write for silence or music in Vietnamese (learnt from subtitled videos), folded.
 * A transcript made only of these is treated as silence.
 */
const SILENCE_PHRASES = [
  'hay subscribe cho kenh ghien mi go de khong bo lo nhung video hap dan',
  'ghien mi go',
  'subscribe',
  'dang ky kenh',
  'cam on cac ban da theo doi',
  'cam on cac ban da xem video',
  'hen gap lai cac ban trong nhung video tiep theo',
  'subtitles by',
  'phu de boi',
];

type TranscriptVerdict = { ok: true; text: string } | { ok: false; reason: 'silent' | 'garbage' };

/**
 * "K 7 Q X M 2 P 9", "k-7-q-x-m-2-p-9", "K.7.Q.X…" → "K7QXM2P9": a spoken attendance code comes back letter by
 * letter. Only runs of 4–10 single characters (the lengths normalizeCode reads) with both a letter and a digit are
 * joined, so ordinary words are never touched.
 */
export function joinSpelledCodes(text: string): string {
  return text.replace(/(?<![\p{L}\p{N}])[A-Za-z0-9](?:[\s.-]{1,2}[A-Za-z0-9]){3,9}(?![\p{L}\p{N}])/gu, (run) => {
    const code = run.replace(/[\s.-]/g, '');
    return /\d/.test(code) && /[A-Za-z]/.test(code) ? code.toUpperCase() : run;
  });
}

/** NFC, no control characters, single spaces, no wrapping quotes, codes joined. */
export function cleanTranscript(raw: string): string {
  const s = cleanText(raw.slice(0, MAX_CHARS));
  return joinSpelledCodes(s.replace(/^["“”'‘’«»]+|["“”'‘’«»]+$/gu, '').trim());
}

/** Text left once bracketed sound descriptions ("[Âm nhạc]", "(tiếng ồn)", "♪") are removed. */
function spoken(text: string): string {
  return collapseWhitespace(text.replace(/\[[^\]]*\]|\([^)]*\)|[♪♫🎵🎶]/gu, ' '));
}

/** A word or short phrase repeated over and over: the decoding loop of a confused model. */
function looping(words: string[]): boolean {
  for (let n = 1; n <= 4; n++) {
    let run = 1;
    for (let i = n; i + n <= words.length; i += n) {
      const same = words.slice(i, i + n).join(' ') === words.slice(i - n, i).join(' ');
      run = same ? run + 1 : 1;
      if (run * n >= 8 && run >= 4) return true;
    }
  }
  return false;
}

/** Most letters outside the Latin script: the model answered in another language despite the "vi" hint. */
function notLatin(text: string): boolean {
  const letters = text.match(/\p{L}/gu) ?? [];
  const latin = text.match(/\p{Script=Latin}/gu) ?? [];
  return letters.length > 0 && latin.length / letters.length < 0.6;
}

export function judgeTranscript(raw: string | undefined): TranscriptVerdict {
  if (raw === undefined) return { ok: false, reason: 'garbage' };
  const text = cleanTranscript(raw);
  const rest = spoken(text);
  if (!/[\p{L}\p{N}]/u.test(rest)) return { ok: false, reason: 'silent' };
  let folded = ` ${fold(rest).replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
  for (const p of SILENCE_PHRASES) folded = folded.replace(new RegExp(`(?<= )${p}(?= )`, 'g'), ' ');
  if (!folded.trim()) return { ok: false, reason: 'silent' };
  if (rest.includes('\uFFFD') || /<\/?[a-z][^>]*>/i.test(rest) || notLatin(rest))
    return { ok: false, reason: 'garbage' };
  if (
    looping(
      fold(rest)
        .split(/[^\p{L}\p{N}]+/u)
        .filter(Boolean),
    )
  )
    return { ok: false, reason: 'garbage' };
  return { ok: true, text: rest };
}
