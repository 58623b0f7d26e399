import { REVENUE_EVENTS, schemaVersionsOf } from '@fleet/contracts';
import { REVENUE_PROJECTIONS } from '../read-models';
import { stepsOf } from './rebuild-read-models';
import { REBUILD_STEPS } from './rebuild-steps';

describe('the rebuild steps', () => {
  it('stand in for every inline projection, each once', () => {
    expect(stepsOf(REVENUE_PROJECTIONS).map((step) => step.projection)).toEqual(
      REVENUE_PROJECTIONS.map((projection) => projection.name),
    );
    expect(new Set(REBUILD_STEPS.map((step) => step.projection)).size).toBe(REBUILD_STEPS.length);
  });

  it('refuse a projection they have no step for', () => {
    expect(() => stepsOf([{ name: 'rig-time-forecasts' }])).toThrow(
      /no step for the projection rig-time-forecasts/,
    );
  });

  it('read every event type its projection handles, at the schema version revenue writes now', () => {
    // A new schema version of an event must come with its step's SQL brought up to it.
    const current = schemaVersionsOf(REVENUE_EVENTS);
    for (const projection of REVENUE_PROJECTIONS) {
      const [step] = stepsOf([projection]);
      expect(Object.keys(step.reads).sort()).toEqual([...projection.handles].sort());
      for (const [type, version] of Object.entries(step.reads))
        expect({ type, version }).toEqual({ type, version: current[type] });
    }
  });
});
