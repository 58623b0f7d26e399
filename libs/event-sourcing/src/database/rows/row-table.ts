import type { EntitySchema } from 'typeorm';

/** How a column's values travel: text, a JS number, a bigint as a decimal string, JSON as text. */
export type ColumnKind = 'text' | 'integer' | 'bigint' | 'json';

/** A column of a statement's values: its SQL name and how its values travel. */
export interface SqlColumn {
  readonly name: string;
  readonly kind: ColumnKind;
}

export interface RowColumn<Row> extends SqlColumn {
  /** The row's property. */
  readonly field: keyof Row & string;
}

/**
 * A query table as the bulk statements see it: its SQL name, its columns and its primary key.
 * Derived from the table's TypeORM entity, so the column list is written once.
 */
export interface RowTable<Row> {
  readonly name: string;
  readonly columns: readonly RowColumn<Row>[];
  readonly primaryKey: readonly (keyof Row & string)[];
}

const KINDS: Readonly<Record<string, ColumnKind>> = {
  varchar: 'text',
  text: 'text',
  integer: 'integer',
  int: 'integer',
  bigint: 'bigint',
  'simple-json': 'json',
};

/** The table behind a TypeORM entity schema (the form every Fleet read model declares). */
export function tableOf<Row>(entity: EntitySchema<Row>): RowTable<Row> {
  const { tableName, name, columns } = entity.options;
  const rowColumns: RowColumn<Row>[] = [];
  const primaryKey: (keyof Row & string)[] = [];
  for (const [field, options] of Object.entries(columns) as [
    keyof Row & string,
    { type?: unknown; name?: string; primary?: boolean },
  ][]) {
    const kind =
      options.type === String ? 'text' : options.type === Number ? 'integer' : KINDS[String(options.type)];
    if (!kind) throw new Error(`${name}.${field}: column type ${String(options.type)} has no bulk-SQL kind`);
    rowColumns.push({ field, name: options.name ?? field, kind });
    if (options.primary) primaryKey.push(field);
  }
  if (primaryKey.length === 0) throw new Error(`${name} has no primary key`);
  return { name: tableName ?? name, columns: rowColumns, primaryKey };
}

/** The columns of `table` for these fields, in the order given. */
export function columnsOf<Row>(table: RowTable<Row>, fields: readonly (keyof Row)[]): RowColumn<Row>[] {
  return fields.map((field) => {
    const column = table.columns.find((candidate) => candidate.field === field);
    if (!column) throw new Error(`${table.name} has no column for ${String(field)}`);
    return column;
  });
}

/** `a, b, c`: the SQL names, optionally qualified. */
export function columnList(columns: readonly SqlColumn[], qualifier?: string): string {
  return columns.map((column) => (qualifier ? `${qualifier}.${column.name}` : column.name)).join(', ');
}

/** A field's value as a statement parameter. */
export function encodeValue(kind: ColumnKind, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'json':
      return JSON.stringify(value);
    case 'bigint':
      return String(value);
    default:
      return value;
  }
}

/** A row as a driver returns it (SQL names, driver types) back into the row's shape. */
export function decodeRow<Row>(table: Pick<RowTable<Row>, 'columns'>, raw: Record<string, unknown>): Row {
  const row: Record<string, unknown> = {};
  for (const { field, name, kind } of table.columns) {
    if (!(name in raw)) continue;
    const value = raw[name];
    if (value === null || value === undefined) row[field] = null;
    else if (kind === 'integer') row[field] = Number(value);
    else if (kind === 'bigint') row[field] = String(value);
    else if (kind === 'json') row[field] = typeof value === 'string' ? JSON.parse(value) : value;
    else row[field] = value;
  }
  return row as Row;
}
