import { InterruptiblePause } from './interruptible-pause';

describe('InterruptiblePause', () => {
  it('waits the time it is given', async () => {
    const pause = new InterruptiblePause();
    const started = Date.now();
    await pause.for(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('ends early when woken, and a later pause waits again', async () => {
    const pause = new InterruptiblePause();
    let ended = false;
    const waiting = pause.for(60_000).then(() => (ended = true));
    pause.wake();
    await waiting;
    expect(ended).toBe(true);
    const started = Date.now();
    await pause.for(20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });

  it('after stop, ends the current pause and returns at once from every later one', async () => {
    const pause = new InterruptiblePause();
    const waiting = pause.for(60_000);
    pause.stop();
    await waiting;
    const started = Date.now();
    await pause.for(60_000);
    expect(Date.now() - started).toBeLessThan(1000);
    pause.start();
    const restarted = Date.now();
    await pause.for(20);
    expect(Date.now() - restarted).toBeGreaterThanOrEqual(15);
  });
});
