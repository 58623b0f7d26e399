import type { Role } from '@fleet/service-kit';

/** Who may read orders and shipments (admin always may). */
export const ORDER_READERS: readonly Role[] = ['procurement', 'operations', 'finance', 'reports'];

/** Who may place, ship, receive and cancel (admin always may): procurement alone. */
export const ORDER_WRITERS: readonly Role[] = ['procurement'];
