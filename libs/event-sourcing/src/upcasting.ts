/**
 * Upcasters turn a stored event of an old schema version into the next version, one pure function
 * per step, applied at read time until the event reaches its current version.
 */
export interface Upcaster {
  readonly type: string;
  /** The version this upcaster reads; it produces `fromVersion + 1`. */
  readonly fromVersion: number;
  readonly upcast: (data: unknown) => unknown;
}

export class Upcasters {
  private readonly steps = new Map<string, Upcaster>();

  constructor(upcasters: readonly Upcaster[] = []) {
    for (const upcaster of upcasters) {
      const key = `${upcaster.type}@${upcaster.fromVersion}`;
      if (this.steps.has(key)) throw new Error(`two upcasters for ${key}`);
      this.steps.set(key, upcaster);
    }
  }

  /** Brings `data` from `schemaVersion` up to `currentVersion` (unchanged when already current). */
  upcast(
    type: string,
    schemaVersion: number,
    data: unknown,
    currentVersion: number,
  ): { schemaVersion: number; data: unknown } {
    let version = schemaVersion;
    let value = data;
    while (version < currentVersion) {
      const step = this.steps.get(`${type}@${version}`);
      if (!step)
        throw new Error(`no upcaster for ${type} from schema version ${version} to ${currentVersion}`);
      value = step.upcast(value);
      version += 1;
    }
    return { schemaVersion: version, data: value };
  }
}
