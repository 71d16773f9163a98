/**
 * A Float32Array reused from batch to batch, so the loop's hot paths allocate nothing: get(length) returns
 * a view of the first `length` values of a buffer that grows only when a longer view is asked for. The
 * values are whatever the last user left there; callers overwrite them.
 */
export class Scratch {
  private buffer: Float32Array = new Float32Array(0);
  private view = this.buffer;

  /** A view of `length` values. */
  get(length: number): Float32Array {
    if (this.view.length === length) return this.view;
    if (this.buffer.length < length) this.buffer = new Float32Array(length);
    this.view = this.buffer.subarray(0, length);
    return this.view;
  }
}

/**
 * Buffers kept per batch size (a whole epoch reuses them; the last, shorter batch has its own): a layer's
 * workspace (workspace.ts), whose memory never grows, is made once for each size.
 */
export class BuffersBySize<T> {
  private readonly bySize = new Map<number, T>();

  constructor(private readonly create: (batch: number) => T) {}

  /** The buffers for `batch` rows, made on first use; a few sizes are kept (training, last batch, evaluation). */
  get(batch: number): T {
    let buffers = this.bySize.get(batch);
    if (!buffers) {
      if (this.bySize.size >= 4) this.bySize.clear();
      buffers = this.create(batch);
      this.bySize.set(batch, buffers);
    }
    return buffers;
  }
}
