/**
 * A strict RFC 4180 reader: comma-separated fields, CRLF or LF line ends, fields optionally quoted
 * with `"` (a quote inside a quoted field is doubled, and quoted fields may span lines). Nothing is
 * trimmed or guessed: a stray quote, or text after a closing quote, makes that record malformed,
 * and the reader goes on at the next line so every bad record can be reported at once.
 */
export type CsvRecord =
  | { readonly line: number; readonly fields: readonly string[] }
  | { readonly line: number; readonly error: string };

/** Every record of the text at once. */
export function readCsvRecords(text: string): CsvRecord[] {
  return [...csvRecordsOf(text)];
}

/**
 * The records of the text one by one, each read only when asked for: a reader that has seen
 * enough (too many rows) stops without the rest of the text ever becoming records.
 */
export function* csvRecordsOf(text: string): Generator<CsvRecord, void, undefined> {
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let position = 0;
  let line = 1;

  while (position < input.length) {
    const startLine = line;
    const fields: string[] = [];
    let error: string | undefined;

    // One record: fields until an unquoted line end or the end of the input.
    for (;;) {
      let field = '';
      if (input[position] === '"') {
        position++;
        let closed = false;
        while (position < input.length) {
          const char = input[position];
          if (char === '"') {
            if (input[position + 1] === '"') {
              field += '"';
              position += 2;
              continue;
            }
            position++;
            closed = true;
            break;
          }
          if (char === '\n') line++;
          field += char;
          position++;
        }
        if (!closed) {
          error = `a quoted field opened on line ${startLine} is never closed`;
          break;
        }
        const next = input[position];
        if (next !== undefined && next !== ',' && next !== '\n' && !isCrLf(input, position)) {
          error = `unexpected ${describe(next)} after a closing quote (field ${fields.length + 1})`;
          break;
        }
      } else {
        while (position < input.length) {
          const char = input[position];
          if (char === ',' || char === '\n' || isCrLf(input, position)) break;
          if (char === '"') {
            error = `a quote inside unquoted field ${fields.length + 1}; quote the whole field and double the quote`;
            break;
          }
          if (char === '\r') {
            error = 'a carriage return that does not end a line';
            break;
          }
          field += char;
          position++;
        }
        if (error) break;
      }
      fields.push(field);
      if (input[position] === ',') {
        position++;
        continue;
      }
      break;
    }

    if (error) {
      position = skipToNextLine(input, position);
      yield { line: startLine, error };
    } else {
      position = skipLineEnd(input, position);
      yield { line: startLine, fields };
    }
    line++;
    // A record's embedded line ends were counted above; `line` now names the next record's first line.
  }
}

function isCrLf(input: string, position: number): boolean {
  return input[position] === '\r' && input[position + 1] === '\n';
}

function skipLineEnd(input: string, position: number): number {
  if (isCrLf(input, position)) return position + 2;
  if (input[position] === '\n') return position + 1;
  return position;
}

function skipToNextLine(input: string, position: number): number {
  const newline = input.indexOf('\n', position);
  return newline === -1 ? input.length : newline + 1;
}

function describe(char: string): string {
  return char === '\r' ? 'carriage return' : `character ${JSON.stringify(char)}`;
}
