import { idOf, reportEvent, rigInstalled, rigRegistered } from '../../test/report-events';
import { DocumentWorkingSet } from './document-working-set';
import type { ReportFold } from './report-fold';

/** Counts the events of a rig, whatever their type: only its declared types reach it. */
const countedFold: ReportFold<{ events: number }> = {
  kind: 'counted',
  types: ['RigInstalled'],
  keysOf: (event) => ('rigId' in event.data ? [event.data.rigId] : []),
  evolve: (doc) => ({ events: (doc?.events ?? 0) + 1 }),
};

describe('DocumentWorkingSet', () => {
  it('hands a fold only the event types it declares', () => {
    const set = new DocumentWorkingSet(1, [countedFold as ReportFold<unknown>]);
    expect(set.reads('RigInstalled')).toBe(true);
    expect(set.reads('RigRegistered')).toBe(false);
    set.apply(reportEvent(rigRegistered(1)));
    set.apply(reportEvent(rigInstalled(1)));
    set.apply(reportEvent(rigRegistered(2)));
    expect(set.documents('counted').map((row) => [row.key, row.data])).toEqual([[idOf(1), { events: 1 }]]);
  });

  it('keeps the facility a document was created for, and forgets it once the document is deleted', () => {
    const facilityFold: ReportFold<{ events: number }> = {
      kind: 'by-facility',
      types: ['RigRegistered', 'RigInstalled'],
      keysOf: () => ['one'],
      // The second event deletes the document, the third creates it again.
      evolve: (doc, event) => (event.type === 'RigInstalled' ? null : { events: (doc?.events ?? 0) + 1 }),
    };
    const set = new DocumentWorkingSet(1, [facilityFold as ReportFold<unknown>]);
    set.apply(reportEvent(rigRegistered(1, undefined, 'us-tx-01')));
    expect(set.documents('by-facility').map((row) => row.facilityId)).toEqual(['us-tx-01']);
    set.apply(reportEvent(rigInstalled(1, 'de-by-02')));
    expect(set.documents('by-facility')).toEqual([]);
    set.apply(reportEvent(rigRegistered(2, undefined, 'de-by-02')));
    expect(set.documents('by-facility').map((row) => [row.facilityId, row.data])).toEqual([
      ['de-by-02', { events: 1 }],
    ]);
  });
});
