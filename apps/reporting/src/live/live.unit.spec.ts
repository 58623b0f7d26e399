import { ConfigError } from '@fleet/service-kit';
import { REPORT_SOURCES } from '../rebuild/report-sources';
import { changedReports, type ReportsSnapshot } from './report-changes';
import { liveSettingsOf } from './live-settings';
import { reportOfDocumentKind, reportsByConsumer } from './report-names';
import { commentMessage, eventMessage, retryMessage } from './server-sent-events';

const snapshot = (generation: number, marks: Record<string, string>): ReportsSnapshot => ({
  generation,
  marks: new Map(Object.entries(marks)),
});

describe('which reports changed', () => {
  const reportsOf = reportsByConsumer();

  it('maps every fold of every source to a served report', () => {
    for (const source of REPORT_SOURCES) {
      for (const fold of source.folds) expect(reportOfDocumentKind(fold.kind)).toBeDefined();
    }
    expect(reportsOf.get('reporting-inventory')).toEqual(['fleet']);
    expect(reportsOf.get('reporting-procurement')).toEqual(['procurement']);
    expect(reportsOf.get('reporting-power')).toEqual(['power']);
    expect(reportsOf.get('reporting-revenue')).toEqual(['pnl']);
  });

  it('names the reports of the consumers whose checkpoint moved, a new consumer included', () => {
    const before = snapshot(1, { 'reporting-inventory': '4/4', 'reporting-power': '2/2' });
    expect(changedReports(before, before, reportsOf)).toEqual([]);
    const after = snapshot(1, {
      'reporting-inventory': '4/4',
      'reporting-power': '3/3',
      'reporting-revenue': '1/1',
    });
    expect(changedReports(before, after, reportsOf)).toEqual(['power', 'pnl']);
  });

  it('names every report when a rebuild swapped in another generation', () => {
    expect(changedReports(snapshot(1, {}), snapshot(2, {}), reportsOf)).toEqual([
      'fleet',
      'procurement',
      'power',
      'pnl',
    ]);
  });
});

describe('server-sent event framing', () => {
  it('writes a named event with JSON data, a retry and a comment, each ended by a blank line', () => {
    expect(eventMessage('reports-changed', { reports: ['fleet'] })).toBe(
      'event: reports-changed\ndata: {"reports":["fleet"]}\n\n',
    );
    expect(eventMessage('x', 'two\nlines')).toBe('event: x\ndata: "two\\nlines"\n\n');
    expect(retryMessage(3000)).toBe('retry: 3000\n\n');
    expect(commentMessage('heart\nbeat')).toBe(': heart beat\n\n');
    expect(() => eventMessage('a\nb', 1)).toThrow();
  });
});

describe('live stream settings', () => {
  it('defaults to 100 streams, a read a second and a heartbeat every 15 s', () => {
    expect(liveSettingsOf({})).toEqual({ maxStreams: 100, pollMs: 1000, heartbeatMs: 15_000 });
    expect(liveSettingsOf({ REPORTING_LIVE_MAX_STREAMS: '5' }).maxStreams).toBe(5);
  });

  it('names every wrong setting', () => {
    let thrown: unknown;
    try {
      liveSettingsOf({ REPORTING_LIVE_MAX_STREAMS: '0', REPORTING_LIVE_POLL_MS: 'fast' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).settings).toEqual([
      'REPORTING_LIVE_MAX_STREAMS',
      'REPORTING_LIVE_POLL_MS',
    ]);
  });
});
