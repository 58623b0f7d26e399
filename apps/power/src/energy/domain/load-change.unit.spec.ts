import { randomUUID } from 'node:crypto';
import { nextLoadChange, type LoadChangePoint, type LoadEvent } from './load-change';

const rig = (itWatts: number) => ({
  rigId: randomUUID(),
  rack: 'R000',
  slot: 1,
  model: 'asicminer-8-nano-pro',
  itWatts,
});

describe('nextLoadChange', () => {
  const start: LoadChangePoint = { seq: 1, at: '2026-11-01T00:00:00.000Z', itWatts: 10_000, pueMilli: 1050 };

  it('takes a curtailment’s shed rigs off the load and its end’s restored rigs back on', () => {
    const curtailed = {
      type: 'RigsCurtailed',
      data: { rigs: [rig(2100), rig(2100)] },
    } as unknown as LoadEvent;
    const shed = nextLoadChange(start, curtailed, '2026-11-01T01:00:00Z');
    expect(shed).toEqual({ seq: 2, at: '2026-11-01T01:00:00.000Z', itWatts: 5800, pueMilli: 1050 });
    const ended = { type: 'CurtailmentEnded', data: { restored: [rig(2100)] } } as unknown as LoadEvent;
    expect(nextLoadChange(shed, ended, '2026-11-01T02:00:00Z')).toEqual({
      seq: 3,
      at: '2026-11-01T02:00:00.000Z',
      itWatts: 7900,
      pueMilli: 1050,
    });
  });

  it('makes no point for an end that restored nothing', () => {
    const ended = { type: 'CurtailmentEnded', data: { restored: [] } } as unknown as LoadEvent;
    expect(nextLoadChange(start, ended, '2026-11-01T02:00:00Z')).toBeNull();
  });
});
