import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { loadFleetConfig } from '../config/fleet-config';
import { ProblemException } from '../errors/problem';
import { ApiKeyAuthorizer } from './api-key.authorizer';
import { ApiKeyGuard } from './api-key.guard';
import { principalOf } from './principal';
import { Roles } from './roles.decorator';

const OPERATIONS_KEY = 'operations-key-guard-0123456789';
const REPORTS_KEY = 'reports-key-guard-0123456789';

class RigsController {
  @Roles('operations')
  install(): string {
    return 'installed';
  }
}

describe('ApiKeyGuard', () => {
  const { config } = loadFleetConfig({
    service: 'guarded',
    defaultPort: 0,
    env: { FLEET_API_KEYS: `operations:${OPERATIONS_KEY},reports:${REPORTS_KEY}` },
  });
  const authorizer = new ApiKeyAuthorizer(config);
  const guard = new ApiKeyGuard(new Reflector(), authorizer);
  const install = (request: object) => {
    const context = new ExecutionContextHost([request], RigsController, RigsController.prototype.install);
    context.setType('http');
    return guard.canActivate(context);
  };
  const refusal = (request: object) => {
    try {
      install(request);
    } catch (error) {
      if (error instanceof ProblemException) return error.problem;
      throw error;
    }
    throw new Error('expected the request to be refused');
  };

  it('lets a request through that the onRequest hook admitted, without checking it again', () => {
    const request = { headers: {} };
    authorizer.authorize(request, { public: true });
    expect(install(request)).toBe(true);
  });

  it("checks a request the hook did not see against the route's roles", () => {
    expect(refusal({ headers: {} })).toMatchObject({ status: 401, code: 'missing-api-key' });
    expect(refusal({ headers: { authorization: `Bearer ${REPORTS_KEY}` } })).toMatchObject({
      status: 403,
      code: 'role-not-admitted',
    });
    const admitted = { headers: { authorization: `Bearer ${OPERATIONS_KEY}` } };
    expect(install(admitted)).toBe(true);
    expect(principalOf(admitted)?.role).toBe('operations');
  });
});
