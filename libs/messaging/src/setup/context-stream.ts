import {
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
  type StreamInfo,
} from '@nats-io/jetstream';
import { millis, nanos } from '@nats-io/transport-node';
import type { BoundedContext } from '@fleet/contracts';
import { defaultMessagingLogger, type MessagingLogger } from '../metrics/messaging-logger';
import { MessagingNames } from '../naming/messaging-names';
import { isStreamNotFound } from './jetstream-errors';
import { retentionDrift, retentionOf, type StreamLimits, type StreamRetention } from './stream-limits';

/**
 * JetStream de-duplicates a `Nats-Msg-Id` seen within this window. It should cover what an
 * `OutboxRelay` re-publishes after a restart: its rewind reaches back up to about two restart
 * margins (2 × 2 min by default) from the last checkpoint, so the window is at least
 * 2 × `restartMarginMs` plus slack. Repeats older than the window reach the consumers, whose
 * inboxes absorb them. Raise it with the margin.
 */
export const DEFAULT_DUPLICATE_WINDOW_MS = 5 * 60_000;

export interface StreamSettings extends StreamLimits {
  readonly names?: MessagingNames;
  /** 3 in production (a NATS cluster); 1 on a single server. Default 1. */
  readonly replicas?: number;
  /**
   * `create-or-update` (the owning service at start-up) makes the stream match these settings,
   * except its retention (see `ensureContextStream`); `create-if-missing` (a consumer of another
   * context) only creates it so the consumer can bind, and leaves an existing stream to its owner.
   */
  readonly mode?: 'create-or-update' | 'create-if-missing';
  /** Where a retention drift is reported. Default Nest's `Logger('JetStreamSetup')`. */
  readonly logger?: MessagingLogger;
}

export interface ContextStreamSettings extends StreamSettings {
  readonly context: BoundedContext;
  /** Default `DEFAULT_DUPLICATE_WINDOW_MS` (5 min); keep it at least 2 × the relay's margin + slack. */
  readonly duplicateWindowMs?: number;
}

/**
 * The stream of one bounded context (`PROCUREMENT` on `fleet.procurement.>`), file storage.
 * Idempotent: run at every start-up; it creates the stream, or updates it when a setting changed.
 * Retention (`maxAgeMs`, `maxBytes`) is only given to a new stream: an existing stream keeps the
 * retention it has (an operator may have changed it on the server), and the owner logs a warning
 * when it differs from the settings, instead of overwriting it at every start.
 */
export async function ensureContextStream(
  jsm: JetStreamManager,
  settings: ContextStreamSettings,
): Promise<StreamInfo> {
  const names = settings.names ?? MessagingNames.production;
  return ensureStream(
    jsm,
    {
      name: names.streamOf(settings.context),
      description: `Fleet ${settings.context} events`,
      subjects: [names.subjectsOf(settings.context)],
      duplicate_window: nanos(settings.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS),
      num_replicas: settings.replicas ?? 1,
    },
    retentionOf(settings),
    settings.mode ?? 'create-or-update',
    settings.logger ?? defaultMessagingLogger('JetStreamSetup'),
  );
}

/**
 * `DEAD_LETTERS` on `fleet.dead-letter.>`: messages a consumer gave up on, kept with the reason,
 * the original subject and headers, for a person to inspect and replay. Like a context stream's,
 * its retention is set at creation only; no setting asks for any, so a different one is not
 * reported.
 */
export async function ensureDeadLetterStream(
  jsm: JetStreamManager,
  settings: StreamSettings = {},
): Promise<StreamInfo> {
  const names = settings.names ?? MessagingNames.production;
  return ensureStream(
    jsm,
    {
      name: names.deadLetterStream,
      description: 'Fleet messages that consumers gave up on',
      subjects: [names.deadLetterSubjects],
      duplicate_window: nanos(DEFAULT_DUPLICATE_WINDOW_MS),
      num_replicas: settings.replicas ?? 1,
    },
    retentionOf(settings),
    settings.mode ?? 'create-or-update',
    undefined,
  );
}

type ManagedStreamConfig = Pick<
  StreamConfig,
  'name' | 'description' | 'subjects' | 'duplicate_window' | 'num_replicas'
>;

/** `driftLogger`: reports an existing stream's retention that differs from `retention`; none: silent. */
async function ensureStream(
  jsm: JetStreamManager,
  wanted: ManagedStreamConfig,
  retention: StreamRetention,
  mode: 'create-or-update' | 'create-if-missing',
  driftLogger: MessagingLogger | undefined,
): Promise<StreamInfo> {
  if (!Number.isInteger(wanted.num_replicas) || wanted.num_replicas < 1 || wanted.num_replicas > 5)
    throw new Error(`stream ${wanted.name}: replicas must be 1 to 5, not ${wanted.num_replicas}`);
  // The server refuses a duplicate window longer than the stream keeps its messages.
  if (retention.max_age > 0 && retention.max_age < wanted.duplicate_window)
    throw new Error(
      `stream ${wanted.name}: max age ${millis(retention.max_age)} ms is shorter than its duplicate window of ${millis(wanted.duplicate_window)} ms`,
    );
  let current: StreamInfo;
  try {
    current = await jsm.streams.info(wanted.name);
  } catch (error) {
    if (!isStreamNotFound(error)) throw error;
    return createStream(jsm, { ...wanted, ...retention });
  }
  if (current.config.storage !== StorageType.File)
    throw new Error(
      `stream ${wanted.name} exists with ${current.config.storage} storage; Fleet needs file storage: delete and recreate it`,
    );
  if (mode === 'create-if-missing') return current;
  const drift = retentionDrift(current.config, retention);
  if (drift) driftLogger?.warn(`stream ${wanted.name}: ${drift}`);
  if (matches(current.config, wanted)) return current;
  // The stream's own retention goes back unchanged.
  return jsm.streams.update(wanted.name, { ...current.config, ...wanted });
}

async function createStream(
  jsm: JetStreamManager,
  wanted: ManagedStreamConfig & StreamRetention,
): Promise<StreamInfo> {
  try {
    return await jsm.streams.add({
      ...wanted,
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
    });
  } catch (error) {
    // Two instances starting together: the other one created it first.
    try {
      return await jsm.streams.info(wanted.name);
    } catch {
      throw error;
    }
  }
}

function matches(current: StreamConfig, wanted: ManagedStreamConfig): boolean {
  return (
    current.description === wanted.description &&
    current.subjects.length === wanted.subjects.length &&
    current.subjects.every((subject, index) => subject === wanted.subjects[index]) &&
    current.duplicate_window === wanted.duplicate_window &&
    current.num_replicas === wanted.num_replicas
  );
}
