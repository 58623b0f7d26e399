import { changedReportsOf } from './live-updates';
import { EventStreamParser } from './event-stream-parser';

describe('reading a text/event-stream in chunks', () => {
  it('dispatches a message at the blank line, whatever the chunks', () => {
    const stream =
      'retry: 3000\n\nevent: connected\ndata: {"reports":["fleet"]}\n\n: heartbeat\n\nevent: reports-changed\ndata: {"reports":["pnl"]}\n\n';
    for (const size of [1, 2, 7, stream.length]) {
      const parser = new EventStreamParser();
      const messages = [];
      for (let at = 0; at < stream.length; at += size)
        messages.push(...parser.push(stream.slice(at, at + size)));
      expect(messages).toEqual([
        { event: 'connected', data: '{"reports":["fleet"]}' },
        { event: 'reports-changed', data: '{"reports":["pnl"]}' },
      ]);
      expect(parser.retryMs).toBe(3000);
    }
  });

  it('takes CRLF and CR line ends, joins data lines, names unnamed events "message"', () => {
    const parser = new EventStreamParser();
    expect(parser.push('data: a\r\ndata:b\r')).toEqual([]);
    expect(parser.push('\n\r\n')).toEqual([{ event: 'message', data: 'a\nb' }]);
    expect(parser.push('event: x\n\n')).toEqual([]);
  });

  it('keeps the report names of a change it knows, and drops what is not one', () => {
    expect(changedReportsOf('{"reports":["fleet","power","nonsense",3]}')).toEqual(['fleet', 'power']);
    expect(changedReportsOf('not json')).toEqual([]);
    expect(changedReportsOf('{}')).toEqual([]);
  });
});
