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
