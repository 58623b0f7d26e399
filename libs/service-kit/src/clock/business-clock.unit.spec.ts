import { BusinessClock, ClockWouldGoBackError } from './business-clock';

/** A system time the test moves by hand. */
function manualSystemTime(startMs: number) {
  let ms = startMs;
  return { read: () => ms, pass: (elapsedMs: number) => (ms += elapsedMs) };
}

const SYSTEM_START = Date.parse('2026-11-29T22:00:00Z');

describe('BusinessClock', () => {
  it('is the system time by default, and cannot be set', () => {
    const system = manualSystemTime(SYSTEM_START);
    const clock = new BusinessClock('system', undefined, system.read);
    expect(clock.now().toISOString()).toBe('2026-11-29T22:00:00.000Z');
    system.pass(1500);
    expect(clock.nowMs()).toBe(SYSTEM_START + 1500);
    expect(() => clock.set(new Date('2027-01-01T00:00:00Z'))).toThrow('cannot be set');
    expect(() => new BusinessClock('system', new Date())).toThrow('only a controlled clock');
  });

  it('starts a controlled clock where it is told, and runs on at normal speed', () => {
    const system = manualSystemTime(SYSTEM_START);
    const clock = new BusinessClock('controlled', new Date('2026-10-01T00:00:00Z'), system.read);
    expect(clock.now().toISOString()).toBe('2026-10-01T00:00:00.000Z');
    system.pass(90_000);
    expect(clock.now().toISOString()).toBe('2026-10-01T00:01:30.000Z');
  });

  it('jumps forward when set, runs on from the set instant, and tells its listeners', () => {
    const system = manualSystemTime(SYSTEM_START);
    const clock = new BusinessClock('controlled', new Date('2026-10-01T00:00:00Z'), system.read);
    const heard: string[] = [];
    const stop = clock.onJump((now) => heard.push(now.toISOString()));
    system.pass(5000);
    expect(clock.set(new Date('2026-10-02T00:00:00Z')).toISOString()).toBe('2026-10-02T00:00:00.000Z');
    system.pass(250);
    expect(clock.now().toISOString()).toBe('2026-10-02T00:00:00.250Z');
    expect(heard).toEqual(['2026-10-02T00:00:00.000Z']);

    stop();
    clock.set(new Date('2026-10-03T00:00:00Z'));
    expect(heard).toHaveLength(1);
  });

  it('refuses to go backwards, even by a millisecond, and may be set to its own now', () => {
    const system = manualSystemTime(SYSTEM_START);
    const clock = new BusinessClock('controlled', new Date('2026-10-05T00:00:00Z'), system.read);
    system.pass(10);
    const refused = (() => {
      try {
        clock.set(new Date('2026-10-05T00:00:00.009Z'));
        return undefined;
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(ClockWouldGoBackError);
    expect((refused as ClockWouldGoBackError).current.toISOString()).toBe('2026-10-05T00:00:00.010Z');
    expect(clock.now().toISOString()).toBe('2026-10-05T00:00:00.010Z');
    expect(clock.set(new Date('2026-10-05T00:00:00.010Z')).toISOString()).toBe('2026-10-05T00:00:00.010Z');
  });
});
