import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { EventStore } from '@fleet/event-sourcing';
import { TEST_DRIVERS } from '@fleet/event-sourcing/testing';
import { EVENT_STORE, MessagingLifecycle } from '../src';
import { WidgetsTestEnvironment } from './support/widgets-test-environment';

describe.each(TEST_DRIVERS)("a service's inbox pruning on %s", (driver) => {
  let environment: WidgetsTestEnvironment;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    environment = await WidgetsTestEnvironment.create(driver, 'kitinbox');
    app = await environment.createApp({
      FLEET_API_KEYS: 'admin:admin-key-0123456789abcdef',
      LOG_LEVEL: 'silent',
      INBOX_RETENTION_MS: String(2 * 3600_000),
    });
  });

  afterAll(async () => {
    await app?.close();
    await environment?.dispose();
  });

  it('deletes the inbox rows older than INBOX_RETENTION_MS and keeps the younger ones', async () => {
    const store = app.get<EventStore>(EVENT_STORE);
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3600_000).toISOString();
    await store.transaction(async ({ manager }) => {
      for (const [eventId, processedAt] of [
        ['past-retention', hoursAgo(3)],
        ['within-retention', hoursAgo(1)],
      ])
        await manager.sql`INSERT INTO inbox (consumer, event_id, processed_at)
          VALUES (${'widgets-WidgetCreated'}, ${eventId}, ${processedAt})`;
    });

    await expect(app.get(MessagingLifecycle).inboxPruner.prune()).resolves.toBe(1);

    const rows = await store.transaction(
      ({ manager }) =>
        manager.sql<
          { event_id: string }[]
        >`SELECT event_id FROM inbox WHERE consumer = ${'widgets-WidgetCreated'}`,
    );
    expect(rows.map((row) => row.event_id)).toEqual(['within-retention']);
  });
});
