import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Rigs follow power's events (online, back to installed): each row keeps the facility power
 * stream's version of the last one, so the bulk saga step can decide from rows (`rigStateOf`).
 */
export class AddRigFacilityPowerVersion1767398400000 implements MigrationInterface {
  readonly name = 'AddRigFacilityPowerVersion1767398400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'rigs',
      new TableColumn({ name: 'facility_power_version', type: 'integer', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('rigs', 'facility_power_version');
  }
}
