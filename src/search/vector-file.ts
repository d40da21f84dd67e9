import { closeSync, openSync } from 'node:fs';
import { readExactly, writeAll } from './file-io';

/**
 * The raw (unit, uncentred) embeddings of an index, float32 in label order: `vectors.f32`. Ingest writes them as
 * they are embedded, builds the graph from them once the corpus mean is known, and the next ingest reuses them by
 * chunk hash. Serving never reads this file.
 */
export class RawVectorFile {
  private readonly fd: number;
  private dim: number;

  private constructor(file: string, flags: string, dim: number) {
    this.fd = openSync(file, flags);
    this.dim = dim;
  }

  static create(file: string): RawVectorFile {
    return new RawVectorFile(file, 'w+', 0);
  }

  static open(file: string, dim: number): RawVectorFile {
    return new RawVectorFile(file, 'r', dim);
  }

  get dimension(): number {
    return this.dim;
  }

  write(label: number, v: Float32Array): void {
    if (!this.dim) this.dim = v.length;
    else if (v.length !== this.dim) throw new Error(`Embedding dimension changed from ${this.dim} to ${v.length}`);
    writeAll(this.fd, new Uint8Array(v.buffer, v.byteOffset, v.byteLength), label * this.dim * 4);
  }

  /** Vectors [first, first + count) into `into` (count x dimension floats). */
  read(first: number, count: number, into = new Float32Array(count * this.dim)): Float32Array {
    readExactly(
      this.fd,
      new Uint8Array(into.buffer, into.byteOffset, count * this.dim * 4),
      first * this.dim * 4,
      'vectors.f32',
    );
    return into;
  }

  close(): void {
    closeSync(this.fd);
  }
}
