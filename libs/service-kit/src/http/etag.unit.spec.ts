import { ProblemException } from '../errors/problem';
import { formatETag, parseIfMatch } from './etag';

describe('parseIfMatch', () => {
  it('reads a strong or weak version ETag', () => {
    expect(parseIfMatch('"7"')).toBe(7);
    expect(parseIfMatch('W/"7"')).toBe(7);
    expect(parseIfMatch(' "0" ')).toBe(0);
    expect(parseIfMatch(formatETag(123))).toBe(123);
  });

  it('gives undefined when absent or *', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch('*')).toBeUndefined();
  });

  it.each(['7', '"seven"', '"7', '"-1"', '"7", "8"', 'W/7', '""', '"1.5"', '"9999999999999999"'])(
    'refuses %s with a 400 problem',
    (header) => {
      let thrown: unknown;
      try {
        parseIfMatch(header);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ProblemException);
      expect((thrown as ProblemException).problem).toMatchObject({ status: 400, code: 'invalid-if-match' });
    },
  );

  it('refuses a header sent twice', () => {
    expect(() => parseIfMatch(['"1"', '"2"'])).toThrow(ProblemException);
  });
});
