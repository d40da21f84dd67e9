// Text files must be text: binary data with a .txt/.md/.html name would otherwise be indexed as junk passages.

/** Share of control characters (other than tab, newlines, form feed) above which a file is not text. */
const MAX_CONTROL_RATIO = 0.01;

/** C0 controls other than tab, LF, FF and CR; DEL and the C1 controls. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0001-\u0008\u000b\u000e-\u001f\u007f-\u009f]/g;

/**
 * Decodes UTF-8 text; throws an Error with an operator-facing reason when the bytes are not UTF-8 or look like
 * binary data (a NUL byte, or more than 1 % control characters).
 */
export function decodeText(data: Buffer): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(data);
  } catch {
    throw new Error('file is not valid UTF-8 text (binary data, or another encoding: save it as UTF-8)');
  }
  if (text.includes('\u0000')) throw new Error('file contains NUL bytes: binary data, not text');
  // A native regex scan: ordinary text has no match at all, so this costs next to nothing.
  const control = text.match(CONTROL)?.length ?? 0;
  if (text.length > 0 && control / text.length > MAX_CONTROL_RATIO) {
    throw new Error(`file looks like binary data (${((100 * control) / text.length).toFixed(1)} % control characters)`);
  }
  return text;
}
