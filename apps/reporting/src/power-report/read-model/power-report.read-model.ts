import { Injectable } from '@nestjs/common';
import { ReportDocumentsReadModel } from '../../report-kit/report-documents.read-model';
import { powerFacilityFold, type PowerFacilityDoc } from './power-facility.fold';
import { powerLoadHourFold, type PowerLoadHourDoc } from './power-load-hour.fold';
import { facilityPowerReportOf, type FacilityPowerReport, type PowerReportWindow } from './power-report';

export interface PowerReport {
  readonly from: string;
  readonly to: string;
  readonly interval: PowerReportWindow['interval'];
  readonly facilities: FacilityPowerReport[];
}

@Injectable()
export class PowerReportReadModel {
  constructor(private readonly documents: ReportDocumentsReadModel) {}

  report(facilityId: string | undefined, window: PowerReportWindow): Promise<PowerReport> {
    return this.documents.read(async (read) => {
      const facilities = await read<PowerFacilityDoc>(powerFacilityFold.kind, facilityId);
      const hours = await read<PowerLoadHourDoc>(powerLoadHourFold.kind, facilityId);
      return {
        from: window.from.toISOString(),
        to: window.to.toISOString(),
        interval: window.interval,
        facilities: facilities.map((facility) =>
          facilityPowerReportOf(
            facility.key,
            facility.data,
            hours.filter((hour) => hour.facilityId === facility.key).map((hour) => hour.data),
            window,
          ),
        ),
      };
    });
  }
}
