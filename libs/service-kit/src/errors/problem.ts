import { HttpException } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';

/** RFC 9457 problem details, as every Fleet error response carries them. */
export interface ProblemDocument {
  /** A URI naming the kind of problem: `urn:fleet:problem:<code>`. */
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  /** The request that failed (its path and query). */
  readonly instance?: string;
  /** Stable and machine-readable: `order-not-found`, `validation-failed`. */
  readonly code: string;
  readonly correlationId?: string;
  /** For invalid input: every problem found, each with where it is. */
  readonly errors?: readonly ProblemIssue[];
  /** Extra facts about the problem, e.g. the rows that failed or the current version. */
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface ProblemIssue {
  /** Dotted path into the input, e.g. `lines.0.model`; `(root)` for the input as a whole. */
  readonly path: string;
  readonly message: string;
  readonly code?: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export function problemTypeOf(code: string): string {
  return `urn:fleet:problem:${code}`;
}

export function statusTitle(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/** `Payload Too Large` → `payload-too-large`. */
export function statusCode(status: number): string {
  return statusTitle(status)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export interface ProblemInit {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly title?: string;
  readonly errors?: readonly ProblemIssue[];
  readonly details?: Readonly<Record<string, unknown>>;
  /** Response headers that belong to the problem, e.g. `WWW-Authenticate`, `Retry-After`. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** An HTTP error whose problem document the kit writes as it is. */
export class ProblemException extends HttpException {
  readonly problem: ProblemDocument;
  readonly headers: Readonly<Record<string, string>>;

  constructor(init: ProblemInit) {
    super(init.detail, init.status);
    this.problem = problemDocument(init);
    this.headers = init.headers ?? {};
  }
}

export function problemDocument(init: ProblemInit): ProblemDocument {
  return {
    type: problemTypeOf(init.code),
    title: init.title ?? statusTitle(init.status),
    status: init.status,
    detail: init.detail,
    code: init.code,
    ...(init.errors ? { errors: init.errors } : {}),
    ...(init.details ? { details: init.details } : {}),
  };
}

export function issuePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map((segment) => String(segment)).join('.');
}
