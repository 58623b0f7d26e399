import type { INestApplication } from '@nestjs/common';
import {
  DocumentBuilder,
  SwaggerModule,
  type OpenAPIObject,
  type OperationObject,
  type SchemaObject,
} from '@nestjs/swagger';
import { BEARER_SCHEME } from '../auth/roles.decorator';
import type { FleetConfig } from '../config/fleet-config';

export const DOCS_PATH = 'docs';
export const DOCS_JSON_PATH = 'docs-json';

const PROBLEM_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'RFC 9457 problem details; every error response of Fleet is one (application/problem+json)',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', example: 'urn:fleet:problem:validation-failed' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    code: { type: 'string', description: 'Stable, machine-readable' },
    correlationId: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string' }, message: { type: 'string' }, code: { type: 'string' } },
      },
    },
    details: { type: 'object', additionalProperties: true },
  },
};

/** OpenAPI at `/docs` (Swagger UI) and `/docs-json`, open without a key. */
export function setupOpenApi(app: INestApplication, config: FleetConfig): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`Fleet ${config.service}`)
      .setDescription(
        `The ${config.service} service of Fleet. Authenticate with \`Authorization: Bearer <API key>\`; ` +
          "errors are application/problem+json; writes accept `Idempotency-Key`; a resource's ETag is its version and `If-Match` is honoured.",
      )
      .setVersion('1')
      .addBearerAuth(
        { type: 'http', scheme: 'bearer', description: 'An API key from FLEET_API_KEYS' },
        BEARER_SCHEME,
      )
      .build(),
    // Each route names its tag (`@Route({ tag })`); no extra tag from the controller's class name.
    { autoTagControllers: false },
  );
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA },
  };
  for (const path of Object.values(document.paths)) {
    if (path.post) documentPost(path.post);
  }
  SwaggerModule.setup(DOCS_PATH, app, document, { jsonDocumentUrl: DOCS_JSON_PATH, raw: ['json'] });
  return document;
}

function documentPost(operation: OperationObject): void {
  operation.parameters = [
    ...(operation.parameters ?? []),
    {
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        'Makes a retry safe: the same key with the same request replays the first response (Idempotent-Replayed: true); with another request it is a 422',
      schema: { type: 'string', maxLength: 255 },
    },
  ];
}
