import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, Injectable, Module, Post, Res } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { FastifyReply } from 'fastify';
import { defineEvent, subjectOfTypeInAnyFacility, type EventEnvelope, type EventOf } from '@fleet/contracts';
import {
  DomainError,
  handleCommand,
  loadAggregate,
  type Decider,
  type EventStore,
  type InlineProjection,
  type RecordedEvent,
} from '@fleet/event-sourcing';
import { DataSource, type EntityManager, type MigrationInterface, type QueryRunner } from 'typeorm';
import { z } from 'zod';
import {
  EVENT_STORE,
  FleetServiceModule,
  IfMatch,
  Public,
  RequestContext,
  Roles,
  Route,
  replyWithVersion,
  ZodBody,
  ZodParam,
  ZodQuery,
  decodeCursor,
  encodeCursor,
  eventMetadata,
  setETag,
  type Page,
} from '../src';

/** A tiny service exercising every part of the kit, as an app would use it. */
export const SERVICE = 'widgets';

const WidgetCreated = defineEvent(
  'inventory',
  'WidgetCreated',
  1,
  z.object({ widgetId: z.uuid(), facilityId: z.string(), name: z.string() }),
);
const WidgetRenamed = defineEvent(
  'inventory',
  'WidgetRenamed',
  1,
  z.object({ widgetId: z.uuid(), name: z.string() }),
);
type WidgetEvent = EventOf<typeof WidgetCreated> | EventOf<typeof WidgetRenamed>;

interface Widget {
  readonly exists: boolean;
  readonly name: string;
}
type WidgetCommand =
  | { readonly kind: 'create'; readonly widgetId: string; readonly facilityId: string; readonly name: string }
  | { readonly kind: 'rename'; readonly widgetId: string; readonly name: string };

const widgetDecider: Decider<WidgetCommand, Widget, WidgetEvent> = {
  initialState: () => ({ exists: false, name: '' }),
  decide: (command, state) => {
    if (command.kind === 'create')
      return [
        {
          type: 'WidgetCreated',
          data: { widgetId: command.widgetId, facilityId: command.facilityId, name: command.name },
        },
      ];
    if (!state.exists)
      throw new DomainError('not_found', 'widget-not-found', `no widget ${command.widgetId}`);
    return [{ type: 'WidgetRenamed', data: { widgetId: command.widgetId, name: command.name } }];
  },
  evolve: (state, event) => ({ exists: true, name: event.data.name ?? state.name }),
};

export const CreateWidget = z.object({
  facilityId: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1).max(100),
  tags: z.array(z.string().min(1)).max(3).default([]),
});
const RenameWidget = z.object({ name: z.string().min(1).max(100) });
const GadgetBatch = z.object({ items: z.array(z.unknown()) });
const ListWidgets = z.object({
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export class CreateWidgetsTable1793000200000 implements MigrationInterface {
  readonly name = 'CreateWidgetsTable1793000200000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE widgets (id varchar(36) PRIMARY KEY, name varchar(100) NOT NULL)');
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE widgets');
  }
}

@Injectable()
export class WidgetsProjection implements InlineProjection {
  readonly name = 'widgets';
  readonly handles = ['WidgetCreated', 'WidgetRenamed'];

  async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    for (const event of events as readonly RecordedEvent<WidgetEvent>[]) {
      if (event.type === 'WidgetCreated')
        await manager.sql`INSERT INTO widgets (id, name) VALUES (${event.data.widgetId}, ${event.data.name})`;
      else await manager.sql`UPDATE widgets SET name = ${event.data.name} WHERE id = ${event.data.widgetId}`;
    }
  }
}

/** Lets a test hold a request inside its handler. */
@Injectable()
export class Gate {
  private opened: Promise<void> = Promise.resolve();
  private release: () => void = () => undefined;
  entered: Promise<void> = Promise.resolve();
  private enter: () => void = () => undefined;

  close(): void {
    this.opened = new Promise((resolve) => (this.release = resolve));
    this.entered = new Promise((resolve) => (this.enter = resolve));
  }
  open(): void {
    this.release();
  }
  async pass(): Promise<void> {
    this.enter();
    await this.opened;
  }
}

/** What the `@EventPattern` handler received, to prove the relay and the transport run. */
@Injectable()
export class Received {
  readonly envelopes: EventEnvelope[] = [];
}

@Controller('widgets')
class WidgetsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly dataSource: DataSource,
    private readonly gate: Gate,
  ) {}

  @Route({ method: 'POST', roles: ['operations'], tag: 'widgets', summary: 'Create a widget' })
  async create(
    @ZodBody(CreateWidget) body: z.infer<typeof CreateWidget>,
    @RequestContext() context: RequestContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ id: string; version: number }> {
    await this.gate.pass();
    const id = randomUUID();
    const result = await handleCommand(
      this.store,
      widgetDecider,
      { kind: 'create', widgetId: id, ...body },
      {
        streamId: `widget-${id}`,
        streamType: 'widget',
        metadata: eventMetadata(context, body.facilityId),
        mustCreate: true,
      },
    );
    return replyWithVersion(
      reply,
      { id, version: result.version },
      {
        version: result.version,
        location: `/widgets/${id}`,
      },
    );
  }

  @Post('import')
  @Roles('operations')
  @HttpCode(200)
  import(@Body() csv: string): { rows: number } {
    return { rows: csv.trim().split('\n').length - 1 };
  }

  @Route({
    method: 'POST',
    path: ':id/rename',
    status: 200,
    roles: ['operations'],
    tag: 'widgets',
    summary: 'Rename a widget',
    response: z.object({ name: z.string() }),
    errors: { 404: 'No such widget', 412: 'If-Match names an older version' },
  })
  async rename(
    @ZodParam('id', z.uuid()) id: string,
    @ZodBody(RenameWidget) body: z.infer<typeof RenameWidget>,
    @IfMatch() ifMatch: number | undefined,
    @RequestContext() context: RequestContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ name: string }> {
    const result = await handleCommand(
      this.store,
      widgetDecider,
      { kind: 'rename', widgetId: id, name: body.name },
      {
        streamId: `widget-${id}`,
        streamType: 'widget',
        metadata: eventMetadata(context, 'site-1'),
        ifMatchVersion: ifMatch,
      },
    );
    return replyWithVersion(reply, { name: result.state.name }, { version: result.version });
  }

  @Get(':id')
  @Roles('operations', 'reports')
  async get(
    @ZodParam('id', z.uuid()) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ id: string; name: string }> {
    const { state, version } = await loadAggregate(this.store, widgetDecider, `widget-${id}`);
    if (!state.exists) throw new DomainError('not_found', 'widget-not-found', `no widget ${id}`);
    setETag(reply, version);
    return { id, name: state.name };
  }

  @Get()
  @Roles('operations', 'reports')
  async list(
    @ZodQuery(ListWidgets) query: z.infer<typeof ListWidgets>,
  ): Promise<Page<{ id: string; name: string }>> {
    const after =
      query.cursor === undefined ? '' : decodeCursor(query.cursor, z.object({ id: z.string() })).id;
    const rows = await this.dataSource.manager.sql<{ id: string; name: string }[]>`
      SELECT id, name FROM widgets WHERE id > ${after} ORDER BY id LIMIT ${query.limit}`;
    const last = rows.at(-1);
    return {
      items: rows,
      nextCursor: rows.length === query.limit && last ? encodeCursor({ id: last.id }) : null,
    };
  }
}

/** Roles on the class, not the method: the key is still checked before the body is read. */
@Controller('gadgets')
@Roles('operations')
class GadgetsController {
  @Post()
  @HttpCode(200)
  count(@ZodBody(GadgetBatch) body: z.infer<typeof GadgetBatch>): { count: number } {
    return { count: body.items.length };
  }

  /** A bulk route: it takes bodies up to BODY_LIMIT_BYTES. */
  @Route({
    method: 'POST',
    path: 'bulk',
    status: 200,
    roles: ['operations'],
    tag: 'gadgets',
    summary: 'Count a large batch',
    largeBody: true,
  })
  countMany(@ZodBody(GadgetBatch) body: z.infer<typeof GadgetBatch>): { count: number } {
    return { count: body.items.length };
  }
}

@Controller()
class OddsController {
  @Get('ping')
  @Public()
  ping(): { pong: true } {
    return { pong: true };
  }

  @Get('boom')
  @Public()
  boom(): never {
    throw new Error('connection string postgres://admin:hunter2@db leaked');
  }

  @Get('admin-only')
  adminOnly(): { ok: true } {
    return { ok: true };
  }
}

const HandledWidget = z.object({ name: z.string().refine((name) => name !== 'poison', 'no poison') });

@Controller()
class WidgetEventsHandler {
  constructor(private readonly received: Received) {}

  @EventPattern<string>(subjectOfTypeInAnyFacility('inventory', 'WidgetCreated'))
  handle(@Payload() envelope: EventEnvelope): void {
    // A zod error is a poison message to the transport, if it reaches the transport as it is.
    HandledWidget.parse(envelope.data);
    this.received.envelopes.push(envelope);
  }
}

@Module({
  imports: [
    FleetServiceModule.forRoot({
      service: SERVICE,
      context: 'inventory',
      events: [WidgetCreated, WidgetRenamed],
      migrations: [CreateWidgetsTable1793000200000],
      projections: [WidgetsProjection],
    }),
  ],
  controllers: [WidgetsController, GadgetsController, OddsController, WidgetEventsHandler],
  providers: [Gate, Received],
})
export class WidgetsModule {}
