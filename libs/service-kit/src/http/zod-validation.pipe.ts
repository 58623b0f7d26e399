import { Body, Param, Query, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { ApiBody, ApiParam, ApiQuery, type SchemaObject } from '@nestjs/swagger';
import type { z } from 'zod';
import { ProblemException } from '../errors/problem';
import { validationProblem } from '../errors/problem-mapping';
import { toOpenApiSchema } from '../openapi/openapi-schema';
import { eraseReflectedType, methodDecoratorOnParameter } from './method-decorator-on-parameter';

const WHERE: Record<ArgumentMetadata['type'], string> = {
  body: 'the request body',
  query: 'the query string',
  param: 'the path',
  custom: 'the request',
};

/** Validates (and transforms) a request part with a zod schema; a failure is a 400 listing every issue. */
export class ZodValidationPipe<Output> implements PipeTransform<unknown, Output> {
  constructor(private readonly schema: z.ZodType<Output>) {}

  transform(value: unknown, metadata: ArgumentMetadata): Output {
    const parsed = this.schema.safeParse(value);
    if (parsed.success) return parsed.data;
    throw new ProblemException(validationProblem(parsed.error.issues, WHERE[metadata.type]));
  }
}

/** `@ZodBody(PlaceOrderRequest) body: PlaceOrderRequest`: validated, and documented in OpenAPI. */
export function ZodBody(schema: z.ZodType): ParameterDecorator {
  return (target, propertyKey, index) => {
    eraseReflectedType(target, propertyKey, index);
    Body(new ZodValidationPipe(schema))(target, propertyKey, index);
    methodDecoratorOnParameter(ApiBody({ schema: toOpenApiSchema(schema) }), target, propertyKey);
  };
}

/**
 * `@ZodQuery(ListRigsQuery) query: ListRigsQuery`. Query values arrive as strings: use
 * `z.coerce.number()` and the like for anything else.
 */
export function ZodQuery(schema: z.ZodType): ParameterDecorator {
  return (target, propertyKey, index) => {
    eraseReflectedType(target, propertyKey, index);
    Query(new ZodValidationPipe(schema))(target, propertyKey, index);
    const openApi = toOpenApiSchema(schema);
    const required = new Set(openApi.required ?? []);
    for (const [name, property] of Object.entries(openApi.properties ?? {})) {
      methodDecoratorOnParameter(
        ApiQuery({ name, required: required.has(name), schema: property as SchemaObject }),
        target,
        propertyKey,
      );
    }
  };
}

/** `@ZodParam('id', Uuid) id: string`: one path parameter, validated and documented. */
export function ZodParam(name: string, schema: z.ZodType): ParameterDecorator {
  return (target, propertyKey, index) => {
    eraseReflectedType(target, propertyKey, index);
    Param(name, new ZodValidationPipe(schema))(target, propertyKey, index);
    methodDecoratorOnParameter(
      ApiParam({ name, required: true, schema: toOpenApiSchema(schema) }),
      target,
      propertyKey,
    );
  };
}
