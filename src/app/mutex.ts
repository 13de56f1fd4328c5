/** One async lock per key: writes to a project are serialised inside a process. */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  /** Someone holds or waits for the key's lock (a read that must not see a write half-done takes the slow path). */
  busy(key: string): boolean {
    return this.tails.has(key);
  }

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = prev.then(() => mine);
    this.tails.set(key, tail);
    await prev;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
