/**
 * The CPU work of answers, in first-come order, in slices: jobs run back to back for at most
 * `sliceMs`, then the event loop is let through before the next slice. Under a burst of
 * interactions, acknowledgements (deferrals) and newly arrived interactions are then handled every
 * few milliseconds instead of waiting behind every answer: Discord's 3-second window is for the
 * acknowledgement, and a deferred answer may take longer. A job that returns a promise is started
 * in its turn; what it awaits runs outside the queue.
 */
export class WorkQueue {
  private jobs: (() => void)[] = [];
  private next = 0;
  private scheduled = false;

  constructor(private readonly sliceMs = 10) {}

  /** Jobs queued and not yet started. */
  get waiting(): number {
    return this.jobs.length - this.next;
  }

  run<T>(job: () => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.jobs.push(() => {
        try {
          Promise.resolve(job()).then(resolve, reject);
        } catch (error) {
          reject(error);
        }
      });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.slice());
  }

  private slice(): void {
    this.scheduled = false;
    const until = performance.now() + this.sliceMs;
    while (this.next < this.jobs.length && performance.now() < until) this.jobs[this.next++]!();
    if (this.next === this.jobs.length) {
      this.jobs = [];
      this.next = 0;
    } else {
      this.schedule();
    }
  }
}
