import type { PostCurtailmentRequest } from '@fleet/contracts';
import type { RequestContext } from '@fleet/service-kit';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { businessNow } from '@fleet/service-kit';
import type { Curtail } from '../../domain/facility.commands';
import { wattsOfKw } from '../../domain/power-units';
import { shedOf, type CurtailmentDecisionView } from '../../read-model/curtailment.views';
import { CurtailmentsReadModel } from '../../read-model/curtailments.read-model';
import { CurtailmentSchedule } from '../curtailment-schedule/curtailment-schedule';
import { FacilityCommandHandler } from '../facility-command.handler';

/**
 * A curtailment asked for by an operator: scheduled, and started at once unless `startsAt` is
 * later. A dry run decides as if it started now and appends nothing.
 */
@Injectable()
export class CurtailHandler {
  constructor(
    private readonly facilities: FacilityCommandHandler,
    private readonly curtailments: CurtailmentsReadModel,
    private readonly schedule: CurtailmentSchedule,
  ) {}

  async execute(
    facilityId: string,
    request: PostCurtailmentRequest,
    context: RequestContext,
    now: Date = businessNow(),
  ): Promise<CurtailmentDecisionView> {
    const at = now.toISOString();
    const startsAt =
      request.startsAt === undefined || request.dryRun ? at : new Date(request.startsAt).toISOString();
    const command: Curtail = {
      type: 'Curtail',
      data: {
        facilityId,
        curtailmentId: randomUUID(),
        trigger: 'manual',
        reduceByWatts: request.reduceByKw === undefined ? null : wattsOfKw(request.reduceByKw),
        targetLoadWatts: request.targetLoadKw === undefined ? null : wattsOfKw(request.targetLoadKw),
        startsAt,
        endsAt: new Date(request.endsAt).toISOString(),
        reason: request.reason,
        protectedRigIds: request.protectedRigIds,
        modelOrder: request.modelOrder,
        at,
      },
    };
    const build = () => Promise.resolve(command);
    if (request.dryRun) {
      const { events, state } = await this.facilities.dryRun(facilityId, build);
      return { dryRun: true, curtailment: null, shed: shedOf(events, state.pueMilli) };
    }
    const { events, state } = await this.facilities.execute(facilityId, context, build);
    // Its start or end may come before the schedule's next look.
    this.schedule.wake();
    return {
      dryRun: false,
      curtailment: await this.curtailments.view(facilityId, command.data.curtailmentId),
      shed: shedOf(events, state.pueMilli),
    };
  }
}
