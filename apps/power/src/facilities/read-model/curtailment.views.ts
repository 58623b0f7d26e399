import {
  CurtailmentEnding,
  CurtailmentTrigger,
  FacilityId,
  NotRestoredRig,
  Uuid,
  type PowerEvent,
} from '@fleet/contracts';
import { z } from 'zod';
import { kwOfMilliwatts, kwOfWatts } from '../domain/power-units';
import type { CurtailmentRow } from './curtailment.entity';

/** `GET /facilities/:facilityId/curtailments/:id`: a curtailment, what it shed and what it restored. */
export const CurtailmentView = z.object({
  curtailmentId: Uuid,
  facilityId: FacilityId,
  trigger: CurtailmentTrigger,
  status: z.enum(['scheduled', 'active', 'ended']),
  reason: z.string(),
  reduceByKw: z.number().nullable(),
  targetLoadKw: z.number().nullable(),
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  holdLoadKw: z
    .number()
    .nullable()
    .describe('the facility load it holds to while active (null before it starts)'),
  rigsCurtailed: z.number().int(),
  itKwShed: z.number().describe("the shed rigs' nominal IT kW"),
  rigsRestored: z.number().int(),
  notRestored: z.array(NotRestoredRig),
  rigsHandedOver: z
    .number()
    .int()
    .describe('rigs another active curtailment (a lower target) kept off when this one ended'),
  handedOverTo: Uuid.nullable().describe('that curtailment, which restores them when it ends'),
  ending: CurtailmentEnding.nullable(),
  endedAt: z.iso.datetime().nullable(),
});
export type CurtailmentView = z.infer<typeof CurtailmentView>;

export function toCurtailmentView(row: CurtailmentRow): CurtailmentView {
  const watts = (value: number | null) => (value === null ? null : kwOfWatts(Number(value)));
  return {
    curtailmentId: row.id,
    facilityId: row.facilityId,
    trigger: row.trigger,
    status: row.status,
    reason: row.reason,
    reduceByKw: watts(row.reduceByWatts),
    targetLoadKw: watts(row.targetLoadWatts),
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    holdLoadKw: watts(row.holdLoadWatts),
    rigsCurtailed: Number(row.rigsCurtailed),
    itKwShed: kwOfWatts(Number(row.itWattsShed)),
    rigsRestored: Number(row.rigsRestored),
    notRestored: row.notRestored,
    rigsHandedOver: Number(row.rigsHandedOver),
    handedOverTo: row.handedOverTo,
    ending: row.ending,
    endedAt: row.endedAt,
  };
}

/**
 * The answer of `POST …/curtailments`: the curtailment (null on a dry run) and the rigs its start
 * sheds (a dry run: would shed now), with their IT kW and kW at the meter.
 */
export const CurtailmentDecisionView = z.object({
  dryRun: z.boolean(),
  curtailment: CurtailmentView.nullable(),
  shed: z.object({
    rigIds: z.array(Uuid),
    itKw: z.number(),
    facilityKw: z.number().describe('IT × PUE'),
  }),
});
export type CurtailmentDecisionView = z.infer<typeof CurtailmentDecisionView>;

/** The rigs a curtailment's events shed. */
export function shedOf(events: readonly PowerEvent[], pueMilli: number): CurtailmentDecisionView['shed'] {
  const rigIds: string[] = [];
  let itWatts = 0;
  for (const event of events)
    if (event.type === 'RigsCurtailed')
      for (const rig of event.data.rigs) {
        rigIds.push(rig.rigId);
        itWatts += rig.itWatts;
      }
  return { rigIds, itKw: kwOfWatts(itWatts), facilityKw: kwOfMilliwatts(itWatts * pueMilli) };
}
