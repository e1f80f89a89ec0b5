/**
 * The simulated clock. Everything time-dependent reads it, never Date.now(), so the control API
 * can move time (set, advance, freeze) and tests can rehearse expiry without waiting.
 */
export interface ClockState {
  /** Milliseconds added to wall time. */
  offsetMs: number;
  /** When set, time stands still at this instant (epoch ms). */
  frozenAt: number | undefined;
}

export class SimClock {
  private state: ClockState = { offsetMs: 0, frozenAt: undefined };

  constructor(private readonly wallClock: () => number = Date.now) {}

  now(): number {
    return this.state.frozenAt ?? this.wallClock() + this.state.offsetMs;
  }

  nowDate(): Date {
    return new Date(this.now());
  }

  /** Today's date in UTC, as YYYY-MM-DD. */
  today(): string {
    return this.nowDate().toISOString().slice(0, 10);
  }

  getState(): ClockState {
    return { ...this.state };
  }

  setState(state: ClockState): void {
    this.state = { ...state };
  }

  set(instant: number): void {
    if (this.state.frozenAt !== undefined) this.state = { offsetMs: 0, frozenAt: instant };
    else this.state = { offsetMs: instant - this.wallClock(), frozenAt: undefined };
  }

  advance(ms: number): void {
    if (this.state.frozenAt !== undefined) this.state = { ...this.state, frozenAt: this.state.frozenAt + ms };
    else this.state = { ...this.state, offsetMs: this.state.offsetMs + ms };
  }

  freeze(): void {
    this.state = { offsetMs: 0, frozenAt: this.now() };
  }

  unfreeze(): void {
    if (this.state.frozenAt === undefined) return;
    this.state = { offsetMs: this.state.frozenAt - this.wallClock(), frozenAt: undefined };
  }

  reset(): void {
    this.state = { offsetMs: 0, frozenAt: undefined };
  }
}
