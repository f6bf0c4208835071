export interface IntensityOptions {
  /** At most this many restarts ... */
  maxRestarts: number;
  /** ... within this many milliseconds; one more and the supervisor gives up and fails. */
  withinMs: number;
}

/** OTP's restart intensity: a sliding window of restart times. */
export class RestartIntensity {
  private times: number[] = [];

  constructor(private readonly options: IntensityOptions) {}

  /** Records a restart at `now`; false when it would exceed the intensity. */
  admit(now: number): boolean {
    this.times = this.times.filter((at) => now - at < this.options.withinMs);
    this.times.push(now);
    return this.times.length <= this.options.maxRestarts;
  }

  /** Restarts inside the current window, which also drives the backoff exponent. */
  get recent(): number {
    return this.times.length;
  }

  reset(): void {
    this.times = [];
  }
}
