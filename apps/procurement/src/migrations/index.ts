import { ProcurementReadModels1793001000000 } from './1793001000000-procurement-read-models.migration';

/** Procurement's migrations, in the order they run (after the event store's, messaging's and the kit's). */
export const PROCUREMENT_MIGRATIONS = [ProcurementReadModels1793001000000];
