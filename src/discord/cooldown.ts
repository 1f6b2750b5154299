/**
 * Per-user flood control: at most `limit` questions in any `windowSeconds`. A user over the
 * limit is told how long to wait instead of being ignored.
 */
export interface CooldownOptions {
  /** Questions allowed per window. Default 5. */
  limit: number;
  /** Window length in seconds. Default 30. */
  windowSeconds: number;
}

export const defaultCooldown: CooldownOptions = { limit: 5, windowSeconds: 30 };

export class Cooldown {
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly options: CooldownOptions = defaultCooldown,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a question by `userId`; returns 0 if allowed, else the seconds to wait. */
  take(userId: string): number {
    const now = this.now();
    const windowMs = this.options.windowSeconds * 1000;
    const times = (this.recent.get(userId) ?? []).filter((t) => now - t < windowMs);
    if (times.length >= this.options.limit) {
      this.recent.set(userId, times);
      return Math.max(1, Math.ceil((times[0]! + windowMs - now) / 1000));
    }
    times.push(now);
    this.recent.set(userId, times);
    if (this.recent.size > 50_000) this.prune(now, windowMs);
    return 0;
  }

  private prune(now: number, windowMs: number): void {
    for (const [user, times] of this.recent) if (times.every((t) => now - t >= windowMs)) this.recent.delete(user);
  }
}
