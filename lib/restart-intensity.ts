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
    // Times are pushed in order, so the expired ones are at the front; and only the last
    // maxRestarts + 1 can decide the verdict, so the window never holds more (no filter, no copy).
    const times = this.times;
    let expired = 0;
    while (expired < times.length && now - times[expired] >= this.options.withinMs) expired++;
    if (expired > 0) times.splice(0, expired);
    times.push(now);
    if (times.length > this.options.maxRestarts + 1) times.shift();
    return times.length <= this.options.maxRestarts;
  }

  /** Restarts inside the current window, which also drives the backoff exponent. */
  get recent(): number {
    return this.times.length;
  }

  reset(): void {
    this.times = [];
  }
}
