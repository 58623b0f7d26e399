import type { JsonValue } from './write-route';

/** Where a value sits in a JSON document: member names and array indexes from the root. */
export type JsonPath = readonly (string | number)[];

/** A value of a document with its path. */
export interface JsonPlace {
  readonly path: JsonPath;
  readonly value: JsonValue;
}

/** Every value of the document, the document itself first, then depth-first in document order. */
export function placesOf(document: JsonValue): JsonPlace[] {
  const places: JsonPlace[] = [];
  const visit = (value: JsonValue, path: JsonPath) => {
    places.push({ path, value });
    if (Array.isArray(value)) value.forEach((item: JsonValue, index) => visit(item, [...path, index]));
    else if (typeof value === 'object' && value !== null)
      for (const [key, member] of Object.entries(value)) visit(member, [...path, key]);
  };
  visit(document, []);
  return places;
}

/** `lines.0.model`, as problem documents name paths; `(root)` for the document. */
export function pathText(path: JsonPath): string {
  return path.length === 0 ? '(root)' : path.join('.');
}

/** Whether `path` is one of `patterns` (`damaged.*.reason`: `*` matches any array index). */
export function pathMatches(path: JsonPath, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => {
    const parts = pattern.split('.');
    return (
      parts.length === path.length &&
      parts.every(
        (part, index) => part === String(path[index]) || (part === '*' && typeof path[index] === 'number'),
      )
    );
  });
}

/** The JSON type of a value: arrays and null apart from objects. */
export function jsonTypeOf(value: JsonValue): 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as 'string' | 'number' | 'boolean' | 'object';
}

/** A copy of the document with the value at `path` replaced. */
export function withValueAt(document: JsonValue, path: JsonPath, replacement: JsonValue): JsonValue {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(document))
    return document.map((item: JsonValue, index) =>
      index === head ? withValueAt(item, rest, replacement) : item,
    );
  if (typeof document !== 'object' || document === null)
    throw new Error(`no ${String(head)} in a ${jsonTypeOf(document)}`);
  return Object.fromEntries(
    Object.entries(document).map(([key, member]) => [
      key,
      key === head ? withValueAt(member, rest, replacement) : member,
    ]),
  );
}

/** A copy of the document with the member `name` of the object at `path` renamed, keeping its place. */
export function withMemberRenamed(
  document: JsonValue,
  path: JsonPath,
  name: string,
  newName: string,
): JsonValue {
  const object = placesOf(document).find((place) => pathText(place.path) === pathText(path))?.value;
  if (typeof object !== 'object' || object === null || Array.isArray(object))
    throw new Error(`no object at ${pathText(path)}`);
  return withValueAt(
    document,
    path,
    Object.fromEntries(Object.entries(object).map(([key, member]) => [key === name ? newName : key, member])),
  );
}

const RAW_MARKER = '\u2063fleet-raw\u2063';

/**
 * The document as JSON bytes with the value at `path` replaced by `raw`, bytes JSON.stringify would
 * never write: a number such as `1e400`, nesting past any limit, bytes that are not UTF-8.
 */
export function jsonWithRawAt(document: JsonValue, path: JsonPath, raw: Buffer): Buffer {
  const text = JSON.stringify(withValueAt(document, path, RAW_MARKER));
  const [before, after] = text.split(JSON.stringify(RAW_MARKER));
  return Buffer.concat([Buffer.from(before, 'utf8'), raw, Buffer.from(after, 'utf8')]);
}
