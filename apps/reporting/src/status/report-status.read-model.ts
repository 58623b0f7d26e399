import type { JetStreamEventConsumer } from '@fleet/messaging';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ReportGenerationRow } from '../report-kit/report-generation.entity';
import { activeGeneration, checkpointsOf, generations } from '../report-kit/report-generations';

export interface SourceStatus {
  readonly consumer: string;
  readonly stream: string;
  /** The source service's position of the last event folded, null before the first. */
  readonly position: string | null;
  readonly streamSequence: string | null;
  readonly eventsFolded: number;
  readonly lastFoldedAt: string | null;
  /** Messages on the stream not yet delivered to the consumer; null when NATS did not answer. */
  readonly lag: number | null;
  /** Why the consumer is stuck, when it is (its source stream missing, a dead letter it cannot publish). */
  readonly stalled: string | null;
}

export interface ReportStatus {
  readonly activeGeneration: number;
  readonly sources: SourceStatus[];
  readonly generations: ReportGenerationRow[];
  /** The rebuild under way (`building`), else the last one that failed, else null. */
  readonly rebuild: ReportGenerationRow | null;
}

@Injectable()
export class ReportStatusReadModel {
  constructor(private readonly dataSource: DataSource) {}

  async status(consumers: readonly JetStreamEventConsumer[]): Promise<ReportStatus> {
    const { generation, checkpoints, all } = await this.dataSource.transaction(async (manager) => {
      const active = await activeGeneration(manager);
      return {
        generation: active,
        checkpoints: await checkpointsOf(manager, active),
        all: await generations(manager),
      };
    });
    const sources = await Promise.all(
      consumers.map(async (consumer): Promise<SourceStatus> => {
        const checkpoint = checkpoints.find((row) => row.consumer === consumer.name);
        return {
          consumer: consumer.name,
          stream: consumer.stream,
          position: checkpoint?.position ?? null,
          streamSequence: checkpoint?.streamSequence ?? null,
          eventsFolded: checkpoint?.events ?? 0,
          lastFoldedAt: checkpoint?.updatedAt ?? null,
          lag: await consumer.lag().catch(() => null),
          stalled: consumer.stall?.reason ?? null,
        };
      }),
    );
    const latest = all.at(-1);
    return {
      activeGeneration: generation,
      sources: sources.sort((a, b) => (a.consumer < b.consumer ? -1 : 1)),
      generations: all,
      rebuild: latest && latest.status !== 'active' ? latest : null,
    };
  }
}
