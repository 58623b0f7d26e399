import { setTimeout as delay } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { withDatabaseLock } from './database-lock';

// Never initialised: the lock only looks at the DataSource's type and identity.
const sqlite = () => new DataSource({ type: 'better-sqlite3', database: ':memory:' });
const postgres = () => new DataSource({ type: 'postgres', url: 'postgres://nobody@127.0.0.1:1/none' });

describe('withDatabaseLock', () => {
  it('runs work on one SQLite DataSource one at a time, in arrival order', async () => {
    const dataSource = sqlite();
    const log: string[] = [];
    const task = (name: string, ms: number) =>
      withDatabaseLock(dataSource, async () => {
        log.push(`${name} start`);
        await delay(ms);
        log.push(`${name} end`);
        return name;
      });
    await expect(Promise.all([task('a', 20), task('b', 1), task('c', 5)])).resolves.toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });

  it('releases the lock when work fails', async () => {
    const dataSource = sqlite();
    await expect(withDatabaseLock(dataSource, () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    await expect(withDatabaseLock(dataSource, async () => 'next')).resolves.toBe('next');
  });

  it('does not make two SQLite DataSources wait for each other', async () => {
    const first = sqlite();
    const second = sqlite();
    let firstDone = false;
    const holding = withDatabaseLock(first, async () => {
      await delay(50);
      firstDone = true;
    });
    await withDatabaseLock(second, async () => undefined);
    expect(firstDone).toBe(false);
    await holding;
  });

  it('refuses re-entry from the same call chain instead of deadlocking', async () => {
    const dataSource = sqlite();
    await expect(
      withDatabaseLock(dataSource, () => withDatabaseLock(dataSource, async () => 'never')),
    ).rejects.toThrow(/already locked by this call chain/);
  });

  it('lets PostgreSQL work run concurrently', async () => {
    const dataSource = postgres();
    let running = 0;
    let most = 0;
    const task = () =>
      withDatabaseLock(dataSource, async () => {
        most = Math.max(most, ++running);
        await delay(10);
        running -= 1;
      });
    await Promise.all([task(), task(), task()]);
    expect(most).toBe(3);
  });
});
