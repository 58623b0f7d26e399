import type { PipelineLine } from '../api/reports';

export interface PipelineTotals {
  readonly ordered: number;
  readonly cancelled: number;
  readonly notDispatched: number;
  readonly inTransit: number;
  readonly received: number;
  readonly damaged: number;
}

export const PIPELINE_COLUMNS = [
  'ordered',
  'cancelled',
  'notDispatched',
  'inTransit',
  'received',
  'damaged',
] as const;

/** The units of every order line, summed per stage of the pipeline. */
export function pipelineTotals(lines: readonly PipelineLine[]): PipelineTotals {
  const totals = { ordered: 0, cancelled: 0, notDispatched: 0, inTransit: 0, received: 0, damaged: 0 };
  for (const line of lines) for (const column of PIPELINE_COLUMNS) totals[column] += line[column];
  return totals;
}
