import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { readConsistently } from './read-consistently';
import { selectDocuments } from './report-documents.sql';
import { activeGeneration } from './report-generations';

/** A stored document, typed by the fold that wrote it. */
export interface StoredDocument<Doc> {
  readonly key: string;
  readonly facilityId: string;
  readonly data: Doc;
}

/** What a report reads: documents of the generation active when its read began. */
export type DocumentReader = <Doc>(kind: string, facilityId?: string) => Promise<StoredDocument<Doc>[]>;

/**
 * Reads report documents of the active generation, all of one state of the database
 * (`readConsistently`), so that a swap to a rebuilt generation is never seen half-way.
 */
@Injectable()
export class ReportDocumentsReadModel {
  constructor(private readonly dataSource: DataSource) {}

  read<Result>(work: (documents: DocumentReader) => Promise<Result>): Promise<Result> {
    return readConsistently(this.dataSource, async (manager) => {
      const generation = await activeGeneration(manager);
      return work(async <Doc>(kind: string, facilityId?: string) =>
        (await selectDocuments(manager, generation, kind, facilityId)).map((row) => ({
          key: row.key,
          facilityId: row.facilityId,
          data: row.data as Doc,
        })),
      );
    });
  }
}
