import type { HashValuePublished } from '@fleet/contracts';

export interface HashValueState {
  readonly published: HashValuePublished['data'] | null;
}

export const initialHashValueState = (): HashValueState => ({ published: null });

export function evolveHashValue(_state: HashValueState, event: HashValuePublished): HashValueState {
  return { published: event.data };
}
