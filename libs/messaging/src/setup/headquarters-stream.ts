import {
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamInfo,
  type StreamSource,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { BOUNDED_CONTEXTS } from '@fleet/contracts';
import type { HeadquartersStream, HeadquartersStreams } from '../headquarters/headquarters-streams';
import { DEFAULT_DUPLICATE_WINDOW_MS } from './context-stream';
import { isStreamNotFound } from './jetstream-errors';

export interface HeadquartersStreamSettings {
  /** 3 on a NATS cluster at headquarters; 1 on a single server. Default 1. */
  readonly replicas?: number;
}

/**
 * Creates every headquarters stream (`HQ_INVENTORY_us-tx-01`, …: one per facility and context)
 * that does not exist yet, and points an existing one back at its facility's stream if it was
 * changed. Idempotent: reporting in headquarters mode runs it at every start; a facility added to
 * the list gets its streams, and the server copies its whole history into them. A facility removed
 * from the list keeps its streams (delete them by hand). File storage, every event kept (the
 * facility's retention decides what there is to copy), no subjects of its own.
 */
export async function ensureHeadquartersStreams(
  jsm: JetStreamManager,
  headquarters: HeadquartersStreams,
  settings: HeadquartersStreamSettings = {},
): Promise<StreamInfo[]> {
  const infos: StreamInfo[] = [];
  for (const context of BOUNDED_CONTEXTS)
    for (const stream of headquarters.streamsOf(context))
      infos.push(await ensureHeadquartersStream(jsm, stream, settings.replicas ?? 1));
  return infos;
}

async function ensureHeadquartersStream(
  jsm: JetStreamManager,
  wanted: HeadquartersStream,
  replicas: number,
): Promise<StreamInfo> {
  const sources: StreamSource[] = [{ name: wanted.source.name, external: { ...wanted.source.external } }];
  let current: StreamInfo | undefined;
  try {
    current = await jsm.streams.info(wanted.stream);
  } catch (error) {
    if (!isStreamNotFound(error)) throw error;
  }
  if (!current)
    return jsm.streams
      .add({
        name: wanted.stream,
        description: `Fleet ${wanted.context} events of facility ${wanted.facilityId}, sourced from its JetStream domain`,
        // No subjects: nothing is published here, everything is copied from the facility.
        subjects: [],
        sources,
        storage: StorageType.File,
        retention: RetentionPolicy.Limits,
        discard: DiscardPolicy.Old,
        duplicate_window: nanos(DEFAULT_DUPLICATE_WINDOW_MS),
        num_replicas: replicas,
      })
      .catch(async (error: unknown) => {
        // Two instances starting together: the other one created it first.
        return jsm.streams.info(wanted.stream).catch(() => Promise.reject(error));
      });
  if ((current.config.subjects ?? []).length > 0)
    throw new Error(
      `stream ${wanted.stream} has subjects of its own (${current.config.subjects.join(', ')}); a headquarters stream only sources its facility's stream: delete and recreate it`,
    );
  if (sameSources(current.config.sources ?? [], sources)) return current;
  return jsm.streams.update(wanted.stream, { ...current.config, sources });
}

function sameSources(current: readonly StreamSource[], wanted: readonly StreamSource[]): boolean {
  const key = (source: StreamSource) =>
    `${source.name}|${source.external?.api ?? ''}|${source.external?.deliver ?? ''}`;
  return (
    current.length === wanted.length && current.every((source, index) => key(source) === key(wanted[index]))
  );
}
