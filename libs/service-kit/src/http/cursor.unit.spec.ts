import { DomainError } from '@fleet/event-sourcing';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from './cursor';

describe('cursors', () => {
  it('round-trip any JSON value as an opaque URL-safe token', () => {
    const value = { serialNumber: 'SN/0001', id: 'a1', n: 3 };
    const cursor = encodeCursor(value);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(value);
  });

  it('check the decoded shape when given a schema', () => {
    const Position = z.object({ after: z.string() });
    expect(decodeCursor(encodeCursor({ after: 'x' }), Position)).toEqual({ after: 'x' });
    expect(() => decodeCursor(encodeCursor({ after: 1 }), Position)).toThrow(DomainError);
  });

  it.each(['', 'not a cursor', '%%%', Buffer.from('{"trunc').toString('base64url')])(
    'refuse %j as invalid input (400), never a 500',
    (text) => {
      let thrown: unknown;
      try {
        decodeCursor(text);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(DomainError);
      expect(thrown).toMatchObject({ kind: 'invalid', code: 'invalid-cursor' });
    },
  );
});
