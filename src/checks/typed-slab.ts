// Typed arrays carved from one buffer, for the linearizability search's setup. A typed array of its own allocates
// a backing store outside the heap, about a microsecond each: a small history's check needs a dozen, which cost as
// much as its whole search. A slab allocates at most one, and the last one released is kept for the next check.

/** The largest buffer kept between checks: a small history's needs, not a large one's. */
const SPARE_BYTES_MAX = 1 << 20;

/** Kept from the last check released; taken (set to null) while a check uses it, so nested checks never share. */
let spare: ArrayBuffer | null = null;

/** Bytes a slab needs for `count` elements of `bytesPerElement`, with room to align the next array. */
export const slabBytes = (count: number, bytesPerElement: number): number => count * bytesPerElement + 8;

export class Slab {
  private readonly buffer: ArrayBuffer;
  /** A reused buffer holds the last check's data: every array carved from it is zeroed, as a new one would be. */
  private readonly reused: boolean;
  private offset = 0;

  /** `bytes`: the sum of slabBytes over every array it will carve; an array past that is allocated on its own. */
  constructor(bytes: number) {
    if (spare !== null && spare.byteLength >= bytes) {
      this.buffer = spare;
      this.reused = true;
      spare = null;
    } else {
      this.buffer = new ArrayBuffer(bytes);
      this.reused = false;
    }
  }

  int32(count: number): Int32Array<ArrayBuffer> {
    const at = this.take(count, 4);
    return at < 0 ? new Int32Array(count) : this.zeroed(new Int32Array(this.buffer, at, count));
  }

  uint8(count: number): Uint8Array<ArrayBuffer> {
    const at = this.take(count, 1);
    return at < 0 ? new Uint8Array(count) : this.zeroed(new Uint8Array(this.buffer, at, count));
  }

  float64(count: number): Float64Array<ArrayBuffer> {
    const at = this.take(count, 8);
    return at < 0 ? new Float64Array(count) : this.zeroed(new Float64Array(this.buffer, at, count));
  }

  /** Every array carved from it is no longer used: the buffer may serve the next check. */
  release(): void {
    if (this.buffer.byteLength <= SPARE_BYTES_MAX && (spare === null || spare.byteLength < this.buffer.byteLength)) spare = this.buffer;
  }

  /** The offset of `count` elements aligned to `size` bytes, or -1 when the buffer is full. */
  private take(count: number, size: number): number {
    const at = Math.ceil(this.offset / size) * size;
    if (at + count * size > this.buffer.byteLength) return -1;
    this.offset = at + count * size;
    return at;
  }

  private zeroed<A extends Int32Array<ArrayBuffer> | Uint8Array<ArrayBuffer> | Float64Array<ArrayBuffer>>(array: A): A {
    if (this.reused) array.fill(0);
    return array;
  }
}
