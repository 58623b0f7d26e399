import {
  BadRequestException,
  HttpException,
  NotFoundException,
  PayloadTooLargeException,
} from '@nestjs/common';
import { DomainError, VersionMismatchError } from '@fleet/event-sourcing';
import { z } from 'zod';
import { ProblemException } from './problem';
import { toProblem } from './problem-mapping';

function fastifyError(code: string, statusCode: number, message: string): Error {
  return Object.assign(new Error(message), { name: 'FastifyError', code, statusCode });
}

describe('toProblem', () => {
  it.each([
    ['invalid', 400, 'Invalid request'],
    ['not_found', 404, 'Not found'],
    ['conflict', 409, 'Conflict'],
    ['precondition_failed', 412, 'Precondition failed'],
  ] as const)('maps a DomainError of kind %s to %i', (kind, status, title) => {
    const mapped = toProblem(
      new DomainError(kind, 'rig-status-forbids-install', 'the rig is in repair', { rigId: 'r1' }),
    );
    expect(mapped).toEqual({
      problem: {
        type: 'urn:fleet:problem:rig-status-forbids-install',
        title,
        status,
        detail: 'the rig is in repair',
        code: 'rig-status-forbids-install',
        details: { rigId: 'r1' },
      },
      headers: {},
      unexpected: false,
    });
  });

  it('keeps the versions of a VersionMismatchError', () => {
    expect(toProblem(new VersionMismatchError('rig-1', 3, 4)).problem).toMatchObject({
      status: 412,
      code: 'version-mismatch',
      details: { expectedVersion: 3, actualVersion: 4 },
    });
  });

  it('lists every zod issue with its path', () => {
    const result = z
      .object({ lines: z.array(z.object({ quantity: z.number().int().positive() })), vendor: z.string() })
      .safeParse({ lines: [{ quantity: 0 }] });
    if (result.success) throw new Error('expected invalid input');
    const { problem } = toProblem(result.error);
    expect(problem).toMatchObject({ status: 400, code: 'validation-failed' });
    expect(problem.errors).toEqual([
      { path: 'lines.0.quantity', message: expect.stringContaining('>0'), code: 'too_small' },
      { path: 'vendor', message: expect.stringContaining('expected string'), code: 'invalid_type' },
    ]);
    expect(problem.detail).toMatch(/^the request is invalid: lines\.0\.quantity: .*; vendor: /);
  });

  it('passes a ProblemException through with its headers', () => {
    const error = new ProblemException({
      status: 401,
      code: 'missing-api-key',
      detail: 'no key',
      headers: { 'www-authenticate': 'Bearer' },
    });
    expect(toProblem(error)).toEqual({
      problem: error.problem,
      headers: { 'www-authenticate': 'Bearer' },
      unexpected: false,
    });
  });

  it("names Fastify's body errors", () => {
    const tooLarge = new HttpException('Request body is too large', 413, {
      cause: fastifyError('FST_ERR_CTP_BODY_TOO_LARGE', 413, 'Request body is too large'),
    });
    expect(toProblem(tooLarge, { bodyLimitBytes: 1024 }).problem).toMatchObject({
      status: 413,
      code: 'payload-too-large',
      title: 'Payload Too Large',
      detail: 'the request body is larger than the limit of 1024 bytes',
    });
    const malformed = new HttpException('Body is not valid JSON', 400, {
      cause: fastifyError('FST_ERR_CTP_INVALID_JSON_BODY', 400, 'Body is not valid JSON'),
    });
    expect(toProblem(malformed).problem).toMatchObject({
      status: 400,
      code: 'malformed-json',
      detail: 'the request body is not valid JSON',
    });
  });

  it("maps Nest's HTTP exceptions by status", () => {
    expect(toProblem(new NotFoundException('Cannot GET /nowhere')).problem).toEqual({
      type: 'urn:fleet:problem:not-found',
      title: 'Not Found',
      status: 404,
      detail: 'Cannot GET /nowhere',
      code: 'not-found',
    });
    expect(toProblem(new BadRequestException(['a is wrong', 'b is wrong'])).problem.detail).toBe(
      'a is wrong; b is wrong',
    );
    expect(toProblem(new PayloadTooLargeException()).problem.code).toBe('payload-too-large');
  });

  it('answers anything else with a 500 that reveals nothing', () => {
    const mapped = toProblem(new TypeError("Cannot read properties of undefined (reading 'secret')"));
    expect(mapped.unexpected).toBe(true);
    expect(mapped.problem).toMatchObject({ status: 500, code: 'internal-error' });
    expect(JSON.stringify(mapped.problem)).not.toContain('secret');
  });
});
