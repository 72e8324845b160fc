import type { Clock, TimerHandle } from "../../src/schedule/clock.js";

interface Timer {
  at: number;
  seq: number;
  callback: () => void;
}

/** Let pending promise callbacks and I/O callbacks run. */
export async function flushIo(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * A clock whose time moves only when the test says so. Timers fire in time order during advance();
 * after each one, `settle` runs (e.g. waiting for the scheduler to go idle) before time moves on.
 */
export class FakeClock implements Clock {
  private time: number;
  private readonly timers = new Map<number, Timer>();
  private nextId = 1;

  constructor(start: Date | string) {
    this.time = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.time);
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + Math.max(0, ms), seq: id, callback });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as number);
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Move to `target`, firing every timer due on the way, in order. */
  async advanceTo(target: Date | string, settle: () => Promise<void> = () => flushIo()): Promise<void> {
    const end = new Date(target).getTime();
    if (end < this.time) throw new Error("a fake clock only moves forward");
    for (let guard = 0; guard < 100_000; guard++) {
      const next = [...this.timers.entries()]
        .filter(([, t]) => t.at <= end)
        .sort(([, a], [, b]) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      const [id, timer] = next;
      this.timers.delete(id);
      this.time = Math.max(this.time, timer.at);
      timer.callback();
      await settle();
    }
    this.time = end;
    await settle();
  }

  advance(ms: number, settle?: () => Promise<void>): Promise<void> {
    return this.advanceTo(new Date(this.time + ms), settle);
  }
}
