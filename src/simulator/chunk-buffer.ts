/**
 * Text appended batch by batch into a byte buffer that is handed over whole when full. Encoding as it comes
 * keeps strings small: appending to one long string instead builds a rope of thousands of pieces, and
 * flattening that for the write cost more than generating the events. Buffers come back through recycle()
 * once written, so a run of any length cycles through the same few megabytes.
 */
export class ChunkBuffer {
  private buffer: Buffer;
  private used = 0;
  private readonly capacity: number;
  private readonly spare: Buffer[] = [];

  constructor(capacity: number) {
    this.capacity = capacity;
    this.buffer = Buffer.allocUnsafeSlow(capacity);
  }

  get length(): number {
    return this.used;
  }

  /** Whether `text` (at most 3 bytes per UTF-16 unit) may not fit; then take() first. */
  wouldOverflow(text: string): boolean {
    return this.used + text.length * 3 > this.capacity;
  }

  append(text: string): void {
    this.used += this.buffer.write(text, this.used, 'utf8');
  }

  /** The bytes so far. The caller owns them until it passes them to recycle(). */
  take(): Buffer {
    const out = this.buffer.subarray(0, this.used);
    this.buffer = this.spare.pop() ?? Buffer.allocUnsafeSlow(this.capacity);
    this.used = 0;
    return out;
  }

  /** Hands back a chunk from take() whose bytes are no longer needed (written to disk). */
  recycle(chunk: Buffer): void {
    if (this.spare.length < 4 && chunk.byteOffset === 0 && chunk.buffer.byteLength === this.capacity) {
      this.spare.push(Buffer.from(chunk.buffer, 0, this.capacity));
    }
  }
}
