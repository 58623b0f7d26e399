import type { SqlColumn } from './row-table';
import type { ValuesRelation, ValuesRelationBuilder } from './values-relation';

const TYPES = { text: 'text', integer: 'integer', bigint: 'bigint', json: 'text' } as const;

/**
 * PostgreSQL takes every row as one JSON parameter, read back by `json_to_recordset`: one
 * statement however many rows, no parameter limit, and `JSON.stringify` is far cheaper than pg's
 * escaping of large text arrays.
 */
export const postgresValues: ValuesRelationBuilder = {
  relations(columns, rows): ValuesRelation[] {
    if (rows.length === 0) return [];
    const keys = columns.map((_, index) => `c${index}`);
    // A plain loop, not Object.fromEntries: a rebuild sends hundreds of thousands of rows here.
    const objects = rows.map((row) => {
      const object: Record<string, unknown> = {};
      for (let index = 0; index < keys.length; index++) object[keys[index]] = row[index];
      return object;
    });
    const names = columns.map((column: SqlColumn) => column.name).join(', ');
    const definition = columns.map((column, index) => `${keys[index]} ${TYPES[column.kind]}`).join(', ');
    return [
      {
        withClause: `WITH v(${names}) AS (SELECT ${keys.join(', ')} FROM json_to_recordset($1::json) AS r(${definition}))`,
        parameters: [JSON.stringify(objects)],
      },
    ];
  },
  // pg already hands bigints over as strings.
  selected: (column, qualifier) => `${qualifier}.${column.name}`,
};
