/**
 * Database writes a rebuild starts without waiting for them (signs of life, a stream's documents
 * while the next stream is read), run one after another. The first failure is kept and thrown by
 * `settle`: a rejected promise nobody awaits yet would otherwise be an unhandled rejection.
 */
export class BackgroundWrites {
  private queue: Promise<void> = Promise.resolve();
  private failure: { readonly error: unknown } | undefined;

  /** Runs `write` after the writes started before it (and not at all after a failure). */
  start(write: () => Promise<void>): void {
    this.queue = this.queue
      .then(() => (this.failure ? undefined : write()))
      .catch((error: unknown) => void (this.failure ??= { error }));
  }

  /** Waits for every write started so far; throws the first failure. */
  async settle(): Promise<void> {
    await this.queue;
    if (this.failure) throw this.failure.error;
  }
}
