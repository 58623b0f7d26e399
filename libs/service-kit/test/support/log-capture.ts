import { Writable } from 'node:stream';

/**
 * A pino destination that keeps each JSON log line, parsed, for a test to assert on. pino keeps one
 * root logger per process (per test file): the first app created decides where every app logs.
 */
export class LogCapture<Line> {
  readonly lines: Line[] = [];
  readonly destination = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.trim()) this.lines.push(JSON.parse(line) as Line);
      done();
    },
  });
}
