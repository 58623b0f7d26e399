/** nats.js status iterators can be stopped, though the public type does not say so. */
export function stopStatusIterator(iterable: AsyncIterable<unknown> | undefined): void {
  const stoppable = iterable as { stop?: () => void } | undefined;
  stoppable?.stop?.();
}
