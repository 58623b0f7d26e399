import { Controller, Inject } from '@nestjs/common';
import { ProblemException } from '../errors/problem';
import { Route } from '../http/route.decorator';
import { ZodBody } from '../http/zod-validation.pipe';
import { BusinessClock, ClockWouldGoBackError } from './business-clock';
import { ClockView, SetClockRequest } from './set-clock.request';

/**
 * Moves a controlled business clock (tests only: registered when `FLEET_CLOCK=controlled`, which
 * production refuses). Admin only: a route naming no role admits admin alone.
 */
@Controller('admin/clock')
export class ClockController {
  constructor(@Inject(BusinessClock) private readonly clock: BusinessClock) {}

  @Route({
    method: 'GET',
    roles: [],
    tag: 'admin',
    summary: 'Business time now (controlled clock)',
    response: ClockView,
  })
  read(): ClockView {
    return { now: this.clock.now().toISOString(), mode: this.clock.mode };
  }

  @Route({
    method: 'PUT',
    roles: [],
    tag: 'admin',
    summary: 'Set business time (controlled clock); it runs on from there',
    description:
      'Schedules (energy accrual, curtailments, reconciliation) run a round at once. Time never runs backwards: an instant before the clock’s now is a 409.',
    response: ClockView,
    errors: { 400: 'Not an ISO 8601 instant with an offset', 409: 'Before the clock’s now' },
  })
  set(@ZodBody(SetClockRequest) body: SetClockRequest): ClockView {
    try {
      return { now: this.clock.set(new Date(body.now)).toISOString(), mode: this.clock.mode };
    } catch (error) {
      if (!(error instanceof ClockWouldGoBackError)) throw error;
      throw new ProblemException({
        status: 409,
        code: 'clock-would-go-back',
        detail: error.message,
        details: { now: error.current.toISOString(), requested: error.requested.toISOString() },
      });
    }
  }
}
