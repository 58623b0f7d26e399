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
  FST_ERR_BAD_URL: {
    code: 'malformed-url',
    detail: 'the URL path is not valid: a percent-encoded part of it is not UTF-8',
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    code: 'path-parameter-too-long',
    detail: 'a part of the URL path is longer than any id of this service',
  },
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

  // A request error of Fastify's own, from its router, which answers a URL it cannot route
  // before Nest sees the request.
  const fastifyError = fastifyErrorOf(error);
  const fastifyStatus = fastifyError?.statusCode ?? 500;
  if (fastifyError && error instanceof Error && fastifyStatus >= 400 && fastifyStatus < 500)
    return httpProblem(fastifyStatus, fastifyError, error.message, context);

  if (error instanceof HttpException)
    return httpProblem(error.getStatus(), fastifyErrorOf(error.cause), detailOf(error), context);

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

/** An HTTP error, by its status, worded as FASTIFY_ERRORS says where Fastify raised it. */
function httpProblem(
  status: number,
  fastify: { readonly code: string } | undefined,
  fallbackDetail: string,
  context: { readonly bodyLimitBytes?: number },
): MappedProblem {
  const known = fastify ? FASTIFY_ERRORS[fastify.code] : undefined;
  let detail = known?.detail ?? fallbackDetail;
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

function fastifyErrorOf(cause: unknown): { code: string; statusCode?: number } | undefined {
  if (typeof cause !== 'object' || cause === null) return undefined;
  const { code, statusCode } = cause as { code?: unknown; statusCode?: unknown };
  if (typeof code !== 'string' || !code.startsWith('FST_')) return undefined;
  return typeof statusCode === 'number' ? { code, statusCode } : { code };
}

function detailOf(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return error.message;
}
