/** Batches live epochs so a panel gets at most one append per interval (10 a second by default). */
import type { TrainingPoint } from '../../protocol/panels';

/** Collects points and hands them over in one batch per interval; the first point waits at most one interval. */
export class EpochBatcher {
  private pending: TrainingPoint[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastFlush = -Infinity;

  constructor(
    private readonly flush: (points: TrainingPoint[]) => void,
    private readonly intervalMs = 100,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Queues a point; sends at once when the last batch went out at least one interval ago. */
  add(point: TrainingPoint): void {
    this.pending.push(point);
    if (this.timer !== undefined) return;
    const wait = this.lastFlush + this.intervalMs - this.now();
    if (wait <= 0) this.send();
    else this.timer = setTimeout(() => this.send(), wait);
  }

  /** Sends what is queued now (before a snapshot, or when the job ends). */
  send(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const points = this.pending;
    this.pending = [];
    this.lastFlush = this.now();
    this.flush(points);
  }

  /** Drops anything queued and stops the timer. */
  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
  }
}
