import type { EnergyCostBooked, PayoutReceived, PayoutValued } from '@fleet/contracts';
import { insertRows, type InlineProjection, type RecordedEvent } from '@fleet/event-sourcing';
import type { JournalLineRow } from './journal-line.entity';
import { journalLinesTable } from './journal-line.entity';

type PostingEvent = PayoutReceived | PayoutValued | EnergyCostBooked;

/** The journal: each event's entry, line by line, in the append's transaction. Lines are never changed. */
export const JournalLinesProjection: InlineProjection = {
  name: 'journal-lines',
  handles: ['PayoutReceived', 'PayoutValued', 'EnergyCostBooked'] satisfies PostingEvent['type'][],
  async apply(events, manager) {
    const rows: JournalLineRow[] = [];
    for (const event of events as readonly RecordedEvent<PostingEvent>[]) {
      const { facilityId, period, entry } = event.data;
      entry.lines.forEach((line, index) => {
        rows.push({
          id: `${event.eventId}/${index + 1}`,
          facilityId,
          period,
          entryId: event.eventId,
          entryVersion: event.streamVersion,
          lineNo: index + 1,
          date: entry.date,
          account: line.account,
          side: line.side,
          usd: line.usd,
          coin: line.coin ?? null,
          amount: line.amount ?? null,
          kwh: line.kwh ?? null,
          basis: line.basis ?? null,
          lateFor: entry.lateFor ?? null,
          memo: entry.memo,
        });
      });
    }
    await insertRows(manager, journalLinesTable, rows);
  },
};
