/**
 * The streams a consumer accepts copies from (`Nats-Stream-Source`), and which facility each may
 * speak for. Headquarters' streams source every facility's context stream; a message copied from
 * facility A's stream may only carry A's events, so a facility cannot write another's history.
 */
export interface TrustedStreamSources {
  /** The facility whose stream a `Nats-Stream-Source` header names, or undefined if not trusted. */
  facilityOfSource(streamSourceHeader: string): string | undefined;
}
