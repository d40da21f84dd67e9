// A DOCX is a ZIP: a few hundred KB can inflate to gigabytes ("zip bomb"). Before mammoth inflates it, every
// entry is inflated once as a stream and counted, so an oversized file is refused having used little memory.
import JSZip from 'jszip';

/** Most a DOCX may inflate to, in total (a 1,000-page decree is ~15 MB of XML). */
const DOCX_MAX_UNCOMPRESSED_BYTES = 32 * 1024 * 1024;
/** Most it may inflate relative to its size on disk (Word XML compresses ~5-20x; a bomb thousands of times). */
const DOCX_MAX_RATIO = 100;
/** Small files may exceed the ratio up to this size (a near-empty document compresses very well). */
const RATIO_FLOOR_BYTES = 2 * 1024 * 1024;

/** undefined when the archive is within the limits, else why it is not (for the operator). */
export async function docxTooLarge(data: Buffer): Promise<string | undefined> {
  const zip = await JSZip.loadAsync(data);
  const byRatio = Math.max(RATIO_FLOOR_BYTES, data.length * DOCX_MAX_RATIO);
  const limit = Math.min(DOCX_MAX_UNCOMPRESSED_BYTES, byRatio);
  let total = 0;
  for (const entry of Object.values(zip.files)) {
    if (entry.dir) continue;
    // jszip's stream is an old-style Readable (no async iterator): count its chunks and stop reading at the limit.
    const over = await new Promise<boolean>((resolve, reject) => {
      const stream = entry.nodeStream('nodebuffer') as NodeJS.ReadableStream;
      stream.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > limit) {
          stream.pause();
          stream.removeAllListeners();
          resolve(true);
        }
      });
      stream.on('end', () => resolve(false));
      stream.on('error', reject);
    });
    if (over) {
      const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
      return limit === byRatio
        ? `DOCX inflates to more than ${DOCX_MAX_RATIO} times its size (${mb(data.length)} -> over ${mb(limit)}); refused as a possible zip bomb`
        : `DOCX inflates to more than ${mb(DOCX_MAX_UNCOMPRESSED_BYTES)}; refused as a possible zip bomb`;
    }
  }
  return undefined;
}
