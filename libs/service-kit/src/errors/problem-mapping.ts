import { HttpException } from '@nestjs/common';
import { DomainError, type DomainErrorKind } from '@fleet/event-sourcing';
import { z } from 'zod';
import {
  ProblemException,
  issuePath,
  problemDocument,
  problemTypeOf,
  statusCode,
  statusTitle,
  type ProblemDocument,
  type ProblemInit,
  type ProblemIssue,
} from './problem';

export interface MappedProblem {
  readonly problem: ProblemDocument;
  readonly headers: Readonly<Record<string, string>>;
  /** A fault of ours rather than of the request: log it, and tell the client nothing about it. */
  readonly unexpected: boolean;
}

const DOMAIN_STATUS: Record<DomainErrorKind, { status: number; title: string }> = {
  invalid: { status: 400, title: 'Invalid request' },
  not_found: { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict' },
  precondition_failed: { status: 412, title: 'Precondition failed' },
};

/** Fastify's own request errors, by their code: clearer words and stable problem codes. */
const FASTIFY_ERRORS: Record<string, { code: string; detail?: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload-too-large' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'malformed-json', detail: 'the request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'empty-json-body',
    detail: 'the request body is empty but its content-type says JSON',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported-media-type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'invalid-content-length' },
};

const UNEXPECTED_DETAIL = 'an unexpected error occurred; quote the correlation id when reporting it';

/**
 * Turns anything a request can throw into a problem document. Pure: the filter adds the request's
 * `instance` and correlation id, writes the response and logs what is unexpected.
 */
export function toProblem(error: unknown, context: { readonly bodyLimitBytes?: number } = {}): MappedProblem {
  if (error instanceof ProblemException)
    return { problem: error.problem, headers: error.headers, unexpected: false };

  if (error instanceof DomainError) {
    const { status, title } = DOMAIN_STATUS[error.kind];
    return {
      problem: {
        type: problemTypeOf(error.code),
        title,
        status,
        detail: error.message,
        code: error.code,
        ...(error.details ? { details: error.details } : {}),
      },
      headers: {},
      unexpected: false,
    };
  }

  if (error instanceof z.core.$ZodError)
    return { problem: problemDocument(validationProblem(error.issues)), headers: {}, unexpected: false };

  if (error instanceof HttpException) {
    const status = error.getStatus();
    const fastify = fastifyErrorOf(error.cause);
    const known = fastify ? FASTIFY_ERRORS[fastify.code] : undefined;
    let detail = known?.detail ?? detailOf(error);
    if (known?.code === 'payload-too-large' && context.bodyLimitBytes !== undefined)
      detail = `the request body is larger than the limit of ${context.bodyLimitBytes} bytes`;
    return {
      problem: {
        type: problemTypeOf(known?.code ?? statusCode(status)),
        title: statusTitle(status),
        status,
        detail,
        code: known?.code ?? statusCode(status),
      },
      headers: {},
      unexpected: status >= 500,
    };
  }

  return {
    problem: {
      type: problemTypeOf('internal-error'),
      title: statusTitle(500),
      status: 500,
      detail: UNEXPECTED_DETAIL,
      code: 'internal-error',
    },
    headers: {},
    unexpected: true,
  };
}

/** 400 listing every issue zod found, each with its path. */
export function validationProblem(issues: readonly z.core.$ZodIssue[], where = 'the request'): ProblemInit {
  return invalidInputProblem(
    issues.map((issue) => ({ path: issuePath(issue.path), message: issue.message, code: issue.code })),
    where,
  );
}

/** 400 listing every problem found in the input, each with its path (the first three also in `detail`). */
export function invalidInputProblem(errors: readonly ProblemIssue[], where = 'the request'): ProblemInit {
  const shown = errors.slice(0, 3).map((error) => `${error.path}: ${error.message}`);
  const more = errors.length > shown.length ? `; and ${errors.length - shown.length} more` : '';
  return {
    status: 400,
    code: 'validation-failed',
    title: 'Invalid request',
    detail: `${where} is invalid: ${shown.join('; ')}${more}`,
    errors,
  };
}

function fastifyErrorOf(cause: unknown): { code: string } | undefined {
  if (typeof cause !== 'object' || cause === null) return undefined;
  const code = (cause as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('FST_') ? { code } : undefined;
}

function detailOf(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return error.message;
}
