import type { QueryRunner } from 'typeorm';
import { dialectOf } from '../database/dialect';

/** The statements of one migration step, written for each database. */
export interface DialectStatements {
  readonly postgres: readonly string[];
  readonly sqlite: readonly string[];
}

/** Runs the statements written for the migration's database, in order. */
export async function runStatements(queryRunner: QueryRunner, statements: DialectStatements): Promise<void> {
  for (const statement of statements[dialectOf(queryRunner.connection)]) await queryRunner.query(statement);
}
