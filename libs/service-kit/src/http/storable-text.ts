import type { ProblemIssue } from '../errors/problem';

/**
 * Text no database of Fleet's can store as it is: NUL (PostgreSQL's `text` and `jsonb` refuse it)
 * and UTF-16 surrogates without their other half (not Unicode; PostgreSQL refuses them, SQLite
 * would keep them and hand back garbage). JavaScript strings hold both happily, and `\u0000` or
 * `\ud800` in JSON, or `%00` in a URL, puts them there.
 */
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSTORABLE_EVERYWHERE = new RegExp(UNSTORABLE.source, 'g');

/** Enough to fix a request by; a body may hold thousands of such strings. */
const MAX_REPORTED = 20;

/** An array or object being walked: its member names (undefined for an array) and the next one to visit. */
interface Frame {
  readonly container: readonly unknown[] | Readonly<Record<string, unknown>>;
  readonly keys: readonly string[] | undefined;
  next: number;
}

/**
 * Every string in `value` (a parsed body, a query string, path parameters) holding unstorable
 * text, member names included, each with its path; at most the first 20. Walks depth-first with
 * its own stack, so a deep value cannot overflow the call stack, and builds a path only for what
 * it reports.
 */
export function unstorableTextIn(value: unknown): ProblemIssue[] {
  const issues: ProblemIssue[] = [];
  const path: string[] = [];
  const report = (at: readonly string[], message: string) =>
    issues.push({ path: at.length === 0 ? '(root)' : at.join('.'), message, code: 'invalid_characters' });

  /** Checks a string; returns a frame for an array or object (after checking its member names). */
  const visit = (item: unknown): Frame | undefined => {
    if (typeof item === 'string') {
      const problem = problemOf(item);
      if (problem) report(path, `holds ${problem}`);
      return undefined;
    }
    if (Array.isArray(item)) return { container: item, keys: undefined, next: 0 };
    if (typeof item !== 'object' || item === null) return undefined;
    const keys = Object.keys(item);
    for (const key of keys) {
      const problem = problemOf(key);
      if (problem) report([...path, printable(key)], `is a member name that holds ${problem}`);
    }
    return { container: item as Readonly<Record<string, unknown>>, keys, next: 0 };
  };

  const stack: Frame[] = [];
  const root = visit(value);
  if (root) stack.push(root);
  while (stack.length > 0 && issues.length < MAX_REPORTED) {
    const frame = stack[stack.length - 1];
    const { container, keys } = frame;
    const size = keys ? keys.length : (container as readonly unknown[]).length;
    if (frame.next >= size) {
      stack.pop();
      path.pop(); // the segment that led here (nothing for the root)
      continue;
    }
    const index = frame.next;
    frame.next += 1;
    const key = keys ? keys[index] : undefined;
    path.push(key === undefined ? String(index) : printable(key));
    const child = visit(
      key === undefined
        ? (container as readonly unknown[])[index]
        : (container as Readonly<Record<string, unknown>>)[key],
    );
    if (child) stack.push(child);
    else path.pop();
  }
  return issues.slice(0, MAX_REPORTED);
}

/** What is wrong with the text and where, or undefined if it can be stored. */
function problemOf(text: string): string | undefined {
  const found = UNSTORABLE.exec(text);
  if (!found) return undefined;
  const char = found[0];
  const at = positionOf(text, found.index);
  return char === '\u0000'
    ? `the NUL character (U+0000) ${at}, which text may not contain`
    : `an unpaired UTF-16 surrogate (U+${hex(char)}) ${at}, which is not Unicode text`;
}

/** `at character 5`, or `at line 3, column 2` in text of several lines (a CSV body). */
function positionOf(text: string, index: number): string {
  const lineStart = text.lastIndexOf('\n', index - 1) + 1;
  if (lineStart === 0 && !text.includes('\n')) return `at character ${index + 1}`;
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < index; at = text.indexOf('\n', at + 1)) line += 1;
  return `at line ${line}, column ${index - lineStart + 1}`;
}

/** A member name fit to show in a problem's path: its unstorable characters written as `\uXXXX`. */
function printable(key: string): string {
  return key.replace(UNSTORABLE_EVERYWHERE, (char) => `\\u${hex(char).toLowerCase()}`);
}

function hex(char: string): string {
  return (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
}
