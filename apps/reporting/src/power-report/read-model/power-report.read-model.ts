import { Injectable } from '@nestjs/common';
import {
  procurementOrderFold,
  type ProcurementOrderDoc,
} from '../../procurement-report/read-model/procurement-order.fold';
import { ReportDocumentsReadModel } from '../../report-kit/report-documents.read-model';
import { powerCurtailmentFold, type PowerCurtailmentDoc } from './power-curtailment.fold';
import { powerFacilityFold, type PowerFacilityDoc } from './power-facility.fold';
import { arrivalsOf, capacityForecastOf } from './power-forecast';
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
      const curtailments = await read<PowerCurtailmentDoc>(powerCurtailmentFold.kind, facilityId);
      // The forecast's arrivals: the procurement report's orders, read in the same state of the database.
      const orders = await read<ProcurementOrderDoc>(procurementOrderFold.kind, facilityId);
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
            {
              curtailment: curtailments.find((curtailment) => curtailment.key === facility.key)?.data,
              forecast: capacityForecastOf(
                facility.data,
                arrivalsOf(orders.filter((order) => order.facilityId === facility.key)),
                window.now,
                window.to,
              ),
            },
          ),
        ),
      };
    });
  }
}
