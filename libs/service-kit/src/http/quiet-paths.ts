/**
 * Probes and scrapes, every few seconds: they would drown the request log and fill traces with
 * nothing.
 */
export const QUIET_PATHS = /^\/(health\/|metrics(\?|$))/;
