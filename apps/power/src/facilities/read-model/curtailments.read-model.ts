import { Injectable } from '@nestjs/common';
import { DataSource, In, LessThanOrEqual, type EntityManager } from 'typeorm';
import { curtailmentNotFound } from '../domain/facility.errors';
import { CurtailmentEntity, type CurtailmentRow } from './curtailment.entity';
import { toCurtailmentView, type CurtailmentView } from './curtailment.views';

/** What the durable schedule has to do now: curtailments to start, and curtailments to end. */
export interface DueCurtailments {
  readonly starts: readonly CurtailmentRow[];
  readonly ends: readonly CurtailmentRow[];
}

/** Reads of `power_curtailments`: one curtailment for the API, and what the schedule has due. */
@Injectable()
export class CurtailmentsReadModel {
  constructor(private readonly dataSource: DataSource) {}

  async view(facilityId: string, curtailmentId: string): Promise<CurtailmentView> {
    const row = await this.dataSource
      .getRepository(CurtailmentEntity)
      .findOneBy({ id: curtailmentId, facilityId });
    if (!row) throw curtailmentNotFound(facilityId, curtailmentId);
    return toCurtailmentView(row);
  }

  async findById(manager: EntityManager, curtailmentId: string): Promise<CurtailmentRow | null> {
    return manager.getRepository(CurtailmentEntity).findOneBy({ id: curtailmentId });
  }

  /** Curtailments whose start or end has come by `now` (an end before the start ends it unstarted). */
  async due(now: Date): Promise<DueCurtailments> {
    const repository = this.dataSource.getRepository(CurtailmentEntity);
    const at = now.toISOString();
    const [ends, starts] = await Promise.all([
      repository.find({
        where: { status: In(['scheduled', 'active']), endsAt: LessThanOrEqual(at) },
        order: { endsAt: 'ASC' },
      }),
      repository.find({
        where: { status: 'scheduled', startsAt: LessThanOrEqual(at) },
        order: { startsAt: 'ASC' },
      }),
    ]);
    const ending = new Set(ends.map((row) => row.id));
    return { starts: starts.filter((row) => !ending.has(row.id)), ends };
  }

  /** The next instant a start or an end is due, or null when nothing is pending. */
  async nextDue(): Promise<Date | null> {
    const repository = this.dataSource.getRepository(CurtailmentEntity);
    const [start, end] = await Promise.all([
      repository.findOne({ where: { status: 'scheduled' }, order: { startsAt: 'ASC' } }),
      repository.findOne({ where: { status: In(['scheduled', 'active']) }, order: { endsAt: 'ASC' } }),
    ]);
    const instants = [start?.startsAt, end?.endsAt].filter((at): at is string => at !== undefined);
    return instants.length === 0 ? null : new Date(instants.sort()[0]);
  }
}
