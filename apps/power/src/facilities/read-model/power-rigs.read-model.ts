import { insertRows, selectRows, updateRows } from '@fleet/event-sourcing';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PowerRig } from '../domain/power-rig';
import { PowerRigEntity, powerRigOf, powerRigsTable } from './power-rig.entity';

/**
 * Reads of `power_rigs`, always inside the caller's transaction: a power request reads the rigs it
 * names after taking the facility's lock, so the view cannot change before its append.
 */
@Injectable()
export class PowerRigsReadModel {
  async findById(manager: EntityManager, id: string): Promise<PowerRig | null> {
    const [row] = await selectRows(manager, powerRigsTable, ['id'], [{ id }]);
    return row ? powerRigOf(row) : null;
  }

  async findByIds(manager: EntityManager, ids: readonly string[]): Promise<Map<string, PowerRig>> {
    const rows = await selectRows(
      manager,
      powerRigsTable,
      ['id'],
      [...new Set(ids)].map((id) => ({ id })),
    );
    return new Map(rows.map((row) => [row.id, powerRigOf(row)]));
  }

  /** The installed rigs of a facility, of the racks named or of all, in no particular order. */
  async installedIn(
    manager: EntityManager,
    facilityId: string,
    racks?: readonly string[],
  ): Promise<PowerRig[]> {
    if (racks) {
      const rows = await selectRows(
        manager,
        powerRigsTable,
        ['facilityId', 'rack'],
        [...new Set(racks)].map((rack) => ({ facilityId, rack })),
      );
      return rows.filter((row) => row.status === 'installed').map(powerRigOf);
    }
    const rows = await manager.getRepository(PowerRigEntity).findBy({ facilityId, status: 'installed' });
    return rows.map(powerRigOf);
  }

  /**
   * Writes the rigs' rows: one insert for those `findByIds` did not find (`known`), one update for
   * the others (plain statements: a repository's `save` would read each row again first).
   */
  async saveAll(
    manager: EntityManager,
    rigs: readonly PowerRig[],
    known: ReadonlyMap<string, PowerRig>,
  ): Promise<void> {
    await insertRows(
      manager,
      powerRigsTable,
      rigs.filter((rig) => !known.has(rig.id)),
    );
    await updateRows(
      manager,
      powerRigsTable,
      rigs.filter((rig) => known.has(rig.id)),
    );
  }
}
