import type { SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';

/**
 * A zod schema as an OpenAPI 3.0 schema object. Request schemas are documented as clients write
 * them (`io: 'input'`: fields with defaults are optional); what JSON Schema cannot say (refinements,
 * transforms) is left open rather than failing the document.
 */
export function toOpenApiSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): SchemaObject {
  const { $schema: _dialect, ...openApi } = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io,
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return openApi as SchemaObject;
}
