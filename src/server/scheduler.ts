/**
 * Debounces work per key: typing in a file re-checks it once the user pauses, and a newer request
 * for the same file replaces the one still waiting (the superseded check never runs).
 */
export class Debouncer {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly delayMs: number) {}

  schedule(key: string, work: () => void, delayMs = this.delayMs): void {
    this.cancel(key);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        work();
      }, delayMs),
    );
  }

  cancel(key: string): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}

/** A flag a long job polls between files; a newer job of the same kind sets it on the older one. */
export class Cancellation {
  cancelled = false;
}

/** Lets the message loop run between chunks of a long job. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Runs work per key at most once per interval, the last request always honoured: a log that grows
 * every few milliseconds is re-read twice a second, not never (a debounce would wait forever).
 */
export class Throttle {
  private readonly last = new Map<string, number>();
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(private readonly intervalMs: number) {}

  schedule(key: string, work: () => void): void {
    if (this.pending.has(key)) return; // the queued run will see the newest state
    const wait = Math.max(0, (this.last.get(key) ?? -Infinity) + this.intervalMs - Date.now());
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        this.last.set(key, Date.now());
        if (this.last.size > 1000) this.last.delete(this.last.keys().next().value!);
        work();
      }, wait),
    );
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
