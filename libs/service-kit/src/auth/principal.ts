import type { Role } from './role';

/** Who is calling: the role of the presented key and the key's stable id. */
export interface Principal {
  readonly role: Role;
  readonly keyId: string;
  /** `<role>:<keyId>`, recorded as the actor of the events the request causes. */
  readonly actor: string;
}

export const ANONYMOUS_ACTOR = 'anonymous';

const principals = new WeakMap<object, Principal>();

export function attachPrincipal(request: object, principal: Principal): void {
  principals.set(request, principal);
}

export function principalOf(request: object): Principal | undefined {
  return principals.get(request);
}
