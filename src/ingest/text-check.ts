// Text files must be text: binary data with a .txt/.md/.html name would otherwise be indexed as junk passages.

/** Share of control characters (other than tab, newlines, form feed) above which a file is not text. */
export const MAX_CONTROL_RATIO = 0.01;

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
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) throw new Error('file contains NUL bytes: binary data, not text');
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || (c >= 0x7f && c <= 0x9f)) control++;
  }
  if (text.length > 0 && control / text.length > MAX_CONTROL_RATIO) {
    throw new Error(`file looks like binary data (${((100 * control) / text.length).toFixed(1)} % control characters)`);
  }
  return text;
}
