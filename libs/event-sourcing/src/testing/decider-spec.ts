import type { Decider } from '../decider';
import { DomainError } from '../errors';
import type { Event } from '../event';

/**
 * Domain tests that read as a story:
 *
 *   given([orderPlaced]).when(dispatch).then([shipmentDispatched]);
 *   given([]).when(dispatch).thenThrows('not_found', 'order-not-found');
 */
export function deciderSpec<Command, State, E extends Event>(decider: Decider<Command, State, E>) {
  return {
    given(history: readonly E[]) {
      return {
        when(command: Command) {
          const run = () => decider.decide(command, history.reduce(decider.evolve, decider.initialState()));
          return {
            then(expected: readonly E[]): void {
              expect(run()).toEqual(expected);
            },
            thenReturns(): readonly E[] {
              return run();
            },
            thenThrows(kind: DomainError['kind'], code?: string): DomainError {
              let thrown: unknown;
              try {
                run();
              } catch (error) {
                thrown = error;
              }
              expect(thrown).toBeInstanceOf(DomainError);
              const domainError = thrown as DomainError;
              expect(domainError.kind).toBe(kind);
              if (code !== undefined) expect(domainError.code).toBe(code);
              return domainError;
            },
          };
        },
      };
    },
  };
}
