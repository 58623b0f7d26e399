export interface SnapshotPolicy<State> {
  /**
   * Take a snapshot, in the command's transaction, when the stream's version crosses a multiple of
   * this. Leave it out when the service writes its snapshots itself (after the commit, by cost):
   * commands then only read them.
   */
  readonly every?: number;
  /** Bump when State's shape changes; older snapshots are then ignored. */
  readonly schemaVersion: number;
  /** State must survive JSON; convert Maps and Sets here. Defaults to identity. */
  readonly toSnapshot?: (state: State) => unknown;
  readonly fromSnapshot?: (stored: unknown) => State;
}

/** Whether an append from `fromVersion` to `toVersion` crosses a multiple of the policy's `every` (never without one). */
export function snapshotDue<State>(
  policy: SnapshotPolicy<State>,
  fromVersion: number,
  toVersion: number,
): boolean {
  if (policy.every === undefined) return false;
  return Math.floor(toVersion / policy.every) > Math.floor(fromVersion / policy.every);
}
