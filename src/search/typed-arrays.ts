/** Typed-array building blocks of the BM25 search: a top-k heap and galloping search. */

/** k-th largest accumulator value among the touched documents (a size-k min-heap). */
export function kthLargest(acc: Float32Array, touched: Uint32Array, n: number, k: number): number {
  const heap = new Float64Array(k);
  let size = 0;
  for (let j = 0; j < n; j++) {
    const v = acc[touched[j]];
    if (size < k) {
      let i = size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (heap[p] <= v) break;
        heap[i] = heap[p];
        i = p;
      }
      heap[i] = v;
    } else if (v > heap[0]) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= k) break;
        const c = l + 1 < k && heap[l + 1] < heap[l] ? l + 1 : l;
        if (heap[c] >= v) break;
        heap[i] = heap[c];
        i = c;
      }
      heap[i] = v;
    }
  }
  return heap[0];
}

/** First index in [lo, end) whose doc id is >= d (exponential then binary search from lo). */
export function gallop(ids: Uint32Array, lo: number, end: number, d: number): number {
  if (lo >= end || ids[lo] >= d) return lo;
  let step = 1;
  let hi = lo + 1;
  while (hi < end && ids[hi] < d) {
    lo = hi;
    step *= 2;
    hi = lo + step;
  }
  if (hi > end) hi = end;
  // ids[lo] < d; answer in (lo, hi]
  while (lo + 1 < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid] < d) lo = mid;
    else hi = mid;
  }
  return hi;
}
