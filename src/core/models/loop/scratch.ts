import { workspace, type Workspace } from './workspace';

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

/**
 * A layer's workspace (workspace.ts) for the largest batch asked for so far, and views of its first values for
 * any smaller batch: a training epoch, its shorter last batch and evaluation share one WebAssembly memory
 * instead of one each. Only for layers whose arrays are batch-major (sample after sample, as Dense, Conv2D and
 * pooling lay them out), so that a sample's values sit at the same place whatever the batch size; a larger
 * batch makes a new workspace (the memory never grows) and drops the old one.
 */
export class BatchWorkspaces<Name extends string> {
  private largest = 0;
  private space: Workspace<Name> | undefined;
  private readonly views = new Map<number, Workspace<Name>>();

  /** `lengths(batch)`: each array's length for a batch; lengths must not shrink as the batch grows. */
  constructor(private readonly lengths: (batch: number) => Record<Name, number>) {}

  /** The arrays for `batch` rows (views into the shared memory) and the kernels bound to it. */
  get(batch: number): Workspace<Name> {
    const known = this.views.get(batch);
    if (known) return known;
    if (!this.space || batch > this.largest) {
      this.space = workspace(this.lengths(batch));
      this.largest = batch;
      this.views.clear();
    }
    const lengths = this.lengths(batch);
    const arrays = {} as Record<Name, Float32Array>;
    for (const name of Object.keys(lengths) as Name[])
      arrays[name] = this.space.arrays[name].subarray(0, lengths[name]);
    const view = { arrays, kernels: this.space.kernels };
    this.views.set(batch, view);
    return view;
  }
}
