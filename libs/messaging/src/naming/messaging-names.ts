import { randomBytes } from 'node:crypto';
import { BOUNDED_CONTEXTS, streamNameOf, subjectOf, subjectsOf, type BoundedContext } from '@fleet/contracts';

const NAMESPACE = /^[a-z][a-z0-9_]{0,31}$/;
const DEAD_LETTER_ROOT = 'fleet.dead-letter';

/**
 * Where Fleet's messages live on a NATS server. Production uses the contracts' names as they are
 * (`PROCUREMENT` on `fleet.procurement.>`). A namespace (tests, a second Fleet on a shared server)
 * prefixes every stream name and every subject, so `t_x1` gives `T_X1_PROCUREMENT` on
 * `t_x1.fleet.procurement.>`: the relay, the consumers and the dead letters all honour it, and
 * nothing in a namespace can touch the real streams.
 *
 * Code outside this lib keeps speaking in the contracts' (logical) subjects; the mapping to wire
 * subjects happens here only.
 */
export class MessagingNames {
  private readonly subjectPrefix: string;
  private readonly streamPrefix: string;

  private constructor(readonly namespace: string) {
    this.subjectPrefix = namespace ? `${namespace}.` : '';
    this.streamPrefix = namespace ? `${namespace.toUpperCase()}_` : '';
  }

  /** The real names. */
  static readonly production = new MessagingNames('');

  /** Names inside `namespace` (lower-case letters, digits, underscores; starts with a letter). */
  static namespaced(namespace: string): MessagingNames {
    if (!NAMESPACE.test(namespace))
      throw new Error(
        `messaging namespace "${namespace}" must be lower-case letters, digits and underscores, starting with a letter (at most 32)`,
      );
    return new MessagingNames(namespace);
  }

  /** A fresh random namespace, for a test that must not meet any other test's streams. */
  static isolated(label = 't'): MessagingNames {
    return MessagingNames.namespaced(`${label}_${randomBytes(5).toString('hex')}`);
  }

  get isProduction(): boolean {
    return this.namespace === '';
  }

  streamOf(context: BoundedContext): string {
    return `${this.streamPrefix}${streamNameOf(context)}`;
  }

  /**
   * Headquarters' copy of one facility's stream of a context (`HQ_INVENTORY_us-tx-01`), see
   * `HeadquartersStreams`.
   */
  hqStreamOf(context: BoundedContext, facilityId: string): string {
    return `${this.streamPrefix}HQ_${streamNameOf(context)}_${facilityId}`;
  }

  /** The stream's subject filter on the wire. */
  subjectsOf(context: BoundedContext): string {
    return this.toWire(subjectsOf(context));
  }

  subjectOf(context: BoundedContext, facilityId: string, eventType: string): string {
    return this.toWire(subjectOf(context, facilityId, eventType));
  }

  get deadLetterStream(): string {
    return `${this.streamPrefix}DEAD_LETTERS`;
  }

  get deadLetterSubjects(): string {
    return this.toWire(`${DEAD_LETTER_ROOT}.>`);
  }

  deadLetterSubject(consumer: string): string {
    return this.toWire(`${DEAD_LETTER_ROOT}.${consumer}`);
  }

  /** Every stream name this namespace can own, for clean-up. */
  get streamNames(): readonly string[] {
    return [...BOUNDED_CONTEXTS.map((context) => this.streamOf(context)), this.deadLetterStream];
  }

  toWire(logicalSubject: string): string {
    return `${this.subjectPrefix}${logicalSubject}`;
  }

  fromWire(wireSubject: string): string {
    if (!wireSubject.startsWith(this.subjectPrefix))
      throw new Error(`subject ${wireSubject} is outside messaging namespace "${this.namespace}"`);
    return wireSubject.slice(this.subjectPrefix.length);
  }

  /**
   * The bounded context a logical subject or consumer filter belongs to
   * (`fleet.procurement.*.ShipmentUnitsReceived` → procurement).
   */
  static contextOf(logicalSubject: string): BoundedContext {
    const [root, context] = logicalSubject.split('.');
    const known = BOUNDED_CONTEXTS.find((candidate) => candidate === context);
    if (root !== 'fleet' || !known)
      throw new Error(
        `"${logicalSubject}" is not a Fleet event subject: expected fleet.<${BOUNDED_CONTEXTS.join('|')}>.<facility>.<EventType>`,
      );
    return known;
  }
}
