import { unstorableTextIn } from './storable-text';

const paths = (value: unknown) => unstorableTextIn(value).map((issue) => issue.path);

describe('unstorableTextIn', () => {
  it('finds nothing in text any database stores, characters outside the BMP included', () => {
    expect(
      unstorableTextIn({ a: 'plain', b: ['tab\there', 'line\nbreak', '😀 €', '\u0001', ''], c: 1 }),
    ).toEqual([]);
    expect(unstorableTextIn(null)).toEqual([]);
    expect(unstorableTextIn(42)).toEqual([]);
  });

  it('finds NUL and unpaired surrogates, high or low, wherever they are in a string', () => {
    expect(unstorableTextIn({ vendor: 'ASIC\u0000miner' })).toEqual([
      {
        path: 'vendor',
        message: 'holds the NUL character (U+0000) at character 5, which text may not contain',
        code: 'invalid_characters',
      },
    ]);
    expect(unstorableTextIn(['\ud800'])[0].message).toBe(
      'holds an unpaired UTF-16 surrogate (U+D800) at character 1, which is not Unicode text',
    );
    expect(unstorableTextIn(['a\udfff'])[0].message).toContain('(U+DFFF) at character 2');
    // A low surrogate before its high one is two unpaired halves.
    expect(unstorableTextIn(['\ude00\ud83d'])[0].message).toContain('(U+DE00) at character 1');
  });

  it('names the path of every bad string, member names included', () => {
    expect(
      paths({
        lines: [{ model: 'ok' }, { model: 'x\u0000' }],
        units: [{ serialNumber: '\ud800', reason: 'fine' }],
        ['bad\u0000name']: 'ok',
      }),
    ).toEqual(['bad\\u0000name', 'lines.1.model', 'units.0.serialNumber']);
  });

  it('names the line and column in text of several lines, such as a CSV body', () => {
    expect(unstorableTextIn('serialNumber,rack,slot\nA-1,R,1\nA-2,R\u0000,2\n')).toEqual([
      {
        path: '(root)',
        message: 'holds the NUL character (U+0000) at line 3, column 6, which text may not contain',
        code: 'invalid_characters',
      },
    ]);
  });

  it('reports at most 20 strings', () => {
    expect(unstorableTextIn(Array.from({ length: 1000 }, () => '\u0000'))).toHaveLength(20);
  });

  it('walks values deeper than any call stack', () => {
    let deep: unknown = ['\u0000'];
    for (let level = 0; level < 100_000; level += 1) deep = [deep];
    expect(paths(deep)).toEqual([`${'0.'.repeat(100_000)}0`]);
  });
});
