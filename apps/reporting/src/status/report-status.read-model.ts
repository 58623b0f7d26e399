import type { JetStreamEventConsumer } from '@fleet/messaging';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { RebuildState } from '../rebuild/rebuild-runner';
import type { ReportGenerationRow } from '../report-kit/report-generation.entity';
import { readConsistently } from '../report-kit/read-consistently';
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
  /** The last rebuild this instance started (its progress while it runs), else null. */
  readonly rebuild: RebuildState | null;
}

@Injectable()
export class ReportStatusReadModel {
  constructor(private readonly dataSource: DataSource) {}

  async status(
    consumers: readonly JetStreamEventConsumer[],
    rebuild: RebuildState | undefined,
  ): Promise<ReportStatus> {
    const { generation, checkpoints, all } = await readConsistently(this.dataSource, async (manager) => {
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
    return {
      activeGeneration: generation,
      sources: sources.sort((a, b) => (a.consumer < b.consumer ? -1 : 1)),
      generations: all,
      rebuild: rebuild ?? null,
    };
  }
}
