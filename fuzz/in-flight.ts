/** At most `limit` exchanges at once: the next frame waits for the oldest, so a wait in the target overlaps others. */
export class InFlight {
  private readonly running: Promise<void>[] = [];

  constructor(private readonly limit: number) {}

  async add(work: Promise<void>): Promise<void> {
    this.running.push(work);
    if (this.running.length >= this.limit) await this.running.shift();
  }

  async drain(): Promise<void> {
    while (this.running.length > 0) await this.running.shift();
  }
}
