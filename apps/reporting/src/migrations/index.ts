import { CreateReportTables1767398400000 } from './1767398400000-create-report-tables.migration';

/** Reporting's migrations (they use none of messaging's or the kit's tables, so their order is free). */
export const REPORTING_MIGRATIONS = [CreateReportTables1767398400000];
