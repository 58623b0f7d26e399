import { BackgroundWrites } from './background-writes';

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('BackgroundWrites', () => {
  it('runs the writes one after another, in the order they were started', async () => {
    const writes = new BackgroundWrites();
    const log: string[] = [];
    writes.start(async () => {
      log.push('first begins');
      await later(20);
      log.push('first ends');
    });
    writes.start(async () => {
      log.push('second');
    });
    await writes.settle();
    expect(log).toEqual(['first begins', 'first ends', 'second']);
  });

  it('keeps the first failure for settle, runs nothing after it, and leaves no unhandled rejection', async () => {
    const writes = new BackgroundWrites();
    const ran: string[] = [];
    writes.start(() => Promise.reject(new Error('disk full')));
    writes.start(async () => {
      ran.push('after the failure');
    });
    // Nobody awaits the queue yet: a rejection left unhandled here would fail the test run.
    await later(10);
    await expect(writes.settle()).rejects.toThrow('disk full');
    expect(ran).toEqual([]);
  });
});
