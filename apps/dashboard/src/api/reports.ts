/**
 * What reporting's `GET /reports/*` answer, as far as the page reads them. Written here rather than
 * imported: the page may import browser-safe code only, and reporting's views live in its app.
 * Fields the page does not know are ignored; a report that gains one keeps working.
 */

export const REPORT_NAMES = ['fleet', 'procurement', 'power', 'pnl'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export function isReportName(value: unknown): value is ReportName {
  return typeof value === 'string' && (REPORT_NAMES as readonly string[]).includes(value);
}

export interface FleetReport {
  readonly facilityId: string | null;
  readonly rigs: number;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly byModel: readonly {
    readonly model: string;
    readonly rigs: number;
    readonly online: number;
    readonly hashrateUnit: string;
    readonly hashrateOnline: string;
  }[];
  readonly byFacility: readonly {
    readonly facilityId: string;
    readonly rigs: number;
    readonly installed: number;
    readonly online: number;
  }[];
  readonly installed: number;
  readonly online: number;
  readonly hashrateOnline: Readonly<Record<string, string>>;
}

export interface PowerInterval {
  readonly start: string;
  readonly capacityKw: number | null;
  readonly loadKw: number;
  readonly peakLoadKw: number;
  readonly utilisationPercent: number | null;
  readonly curtailedKw: number | null;
  readonly forecastShortfallKw: number | null;
}

export interface PowerFacility {
  readonly facilityId: string;
  readonly capacityKw: number | null;
  readonly reserveKw: number;
  readonly pue: number;
  readonly loadKw: number;
  readonly itKw: number;
  readonly rigsOn: number;
  readonly utilisationPercent: number | null;
  readonly curtailedKw: number | null;
  readonly forecastShortfallKw: number | null;
  readonly series: readonly PowerInterval[];
}

export interface PowerReport {
  readonly from: string;
  readonly to: string;
  readonly interval: 'hour' | 'day';
  readonly facilities: readonly PowerFacility[];
}

export interface PipelineLine {
  readonly orderId: string;
  readonly facilityId: string;
  readonly vendor: string;
  readonly status: string;
  readonly model: string;
  readonly ordered: number;
  readonly cancelled: number;
  readonly inTransit: number;
  readonly received: number;
  readonly damaged: number;
  readonly notDispatched: number;
  readonly nextEta: string | null;
  readonly delays: number;
}

export interface ProcurementReport {
  readonly pipeline: readonly PipelineLine[];
  readonly toComePerMonth: readonly {
    readonly month: string | null;
    readonly model: string;
    readonly units: number;
  }[];
}

export interface PnlMonth {
  readonly facilityId: string;
  readonly month: string;
  readonly revenueUsd: string;
  readonly energyKwh: string;
  readonly energyUsd: string;
  readonly energyDays: number;
  readonly estimatedEnergyDays: number;
  readonly marginUsd: string;
  /** `payouts-without-fixing`, `energy-estimated`, … and whatever flags revenue adds later. */
  readonly flags: readonly string[];
  readonly closed: boolean;
}

export interface PnlReport {
  readonly months: readonly PnlMonth[];
}

export interface Reports {
  readonly fleet: FleetReport;
  readonly procurement: ProcurementReport;
  readonly power: PowerReport;
  readonly pnl: PnlReport;
}
