import {
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
  type StreamInfo,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { BoundedContext } from '@fleet/contracts';
import { MessagingNames } from '../naming/messaging-names';
import { isStreamNotFound } from './jetstream-errors';

/**
 * JetStream de-duplicates a `Nats-Msg-Id` seen within this window. It should cover what an
 * `OutboxRelay` re-publishes after a restart: its rewind reaches back up to about two restart
 * margins (2 × 2 min by default) from the last checkpoint, so the window is at least
 * 2 × `restartMarginMs` plus slack. Repeats older than the window reach the consumers, whose
 * inboxes absorb them. Raise it with the margin.
 */
export const DEFAULT_DUPLICATE_WINDOW_MS = 5 * 60_000;

export interface StreamSettings {
  readonly names?: MessagingNames;
  /** 3 in production (a NATS cluster); 1 on a single server. Default 1. */
  readonly replicas?: number;
  /** Drop messages older than this; omitted or 0 keeps them forever (consumers may replay from the start). */
  readonly maxAgeMs?: number;
  /**
   * `create-or-update` (the owning service at start-up) makes the stream match these settings;
   * `create-if-missing` (a consumer of another context) only creates it so the consumer can bind,
   * and leaves an existing stream's settings to its owner.
   */
  readonly mode?: 'create-or-update' | 'create-if-missing';
}

export interface ContextStreamSettings extends StreamSettings {
  readonly context: BoundedContext;
  /** Default `DEFAULT_DUPLICATE_WINDOW_MS` (5 min); keep it at least 2 × the relay's margin + slack. */
  readonly duplicateWindowMs?: number;
}

/**
 * The stream of one bounded context (`PROCUREMENT` on `fleet.procurement.>`), file storage.
 * Idempotent: run at every start-up; it creates the stream, or updates it when a setting changed.
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
      max_age: nanos(settings.maxAgeMs ?? 0),
      num_replicas: settings.replicas ?? 1,
    },
    settings.mode ?? 'create-or-update',
  );
}

/**
 * `DEAD_LETTERS` on `fleet.dead-letter.>`: messages a consumer gave up on, kept with the reason,
 * the original subject and headers, for a person to inspect and replay.
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
      max_age: nanos(settings.maxAgeMs ?? 0),
      num_replicas: settings.replicas ?? 1,
    },
    settings.mode ?? 'create-or-update',
  );
}

type ManagedStreamConfig = Pick<
  StreamConfig,
  'name' | 'description' | 'subjects' | 'duplicate_window' | 'max_age' | 'num_replicas'
>;

async function ensureStream(
  jsm: JetStreamManager,
  wanted: ManagedStreamConfig,
  mode: 'create-or-update' | 'create-if-missing',
): Promise<StreamInfo> {
  if (!Number.isInteger(wanted.num_replicas) || wanted.num_replicas < 1 || wanted.num_replicas > 5)
    throw new Error(`stream ${wanted.name}: replicas must be 1 to 5, not ${wanted.num_replicas}`);
  let current: StreamInfo;
  try {
    current = await jsm.streams.info(wanted.name);
  } catch (error) {
    if (!isStreamNotFound(error)) throw error;
    return createStream(jsm, wanted);
  }
  if (current.config.storage !== StorageType.File)
    throw new Error(
      `stream ${wanted.name} exists with ${current.config.storage} storage; Fleet needs file storage: delete and recreate it`,
    );
  if (mode === 'create-if-missing' || matches(current.config, wanted)) return current;
  return jsm.streams.update(wanted.name, { ...current.config, ...wanted });
}

async function createStream(jsm: JetStreamManager, wanted: ManagedStreamConfig): Promise<StreamInfo> {
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
    current.max_age === wanted.max_age &&
    current.num_replicas === wanted.num_replicas
  );
}
