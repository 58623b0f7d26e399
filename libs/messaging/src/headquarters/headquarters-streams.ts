import { BOUNDED_CONTEXTS, type BoundedContext } from '@fleet/contracts';
import type { MessagingNames } from '../naming/messaging-names';
import { natsNameHash } from './nats-name-hash';
import type { TrustedStreamSources } from './trusted-stream-sources';

/** A facility as headquarters sees it: its id (in events and subjects) and its JetStream domain. */
export interface FacilityDomain {
  readonly facilityId: string;
  /** The facility's NATS `jetstream { domain }`; by convention its facility id. */
  readonly domain: string;
}

/** One headquarters stream: a copy of one facility's stream of one context. */
export interface HeadquartersStream {
  readonly context: BoundedContext;
  readonly facilityId: string;
  /** `HQ_INVENTORY_us-tx-01` (namespaced in tests). */
  readonly stream: string;
  /** Its only source, as the JetStream API takes it (`StreamSource`). */
  readonly source: {
    readonly name: string;
    readonly external: { readonly api: string; readonly deliver: string };
  };
}

/** JetStream domains and facility ids become subject tokens, stream and consumer names. */
const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Headquarters' view of the facilities: for every facility and context one stream at headquarters
 * (`HQ_INVENTORY_us-tx-01`) sourcing that facility's context stream from its JetStream domain over
 * the leaf-node link (`$JS.<domain>.API`). Sourcing keeps each message's subject and headers, adds
 * `Nats-Stream-Source`, keeps the facility's order, and resumes where it stopped when a cut link
 * comes back. The streams have no subjects of their own: nothing can be published into them.
 *
 * One stream per facility rather than one per context for all: nats-server 2.9 checks a copied
 * message's `Nats-Expected-Last-Msg-Id` again at headquarters, and the relay chains every publish
 * to the one before it in its facility's stream. A copy of one facility's stream holds the same
 * messages in the same order, so the chain holds; in a stream mixing facilities the first
 * interleaved message fails it and the source stops copying for good (seen on 2.9.10).
 */
export class HeadquartersStreams implements TrustedStreamSources {
  /** `Nats-Stream-Source` stream token (`INVENTORY:T9k4o4QO`) → the facility it belongs to. */
  private readonly facilityBySource = new Map<string, string>();

  constructor(
    readonly facilities: readonly FacilityDomain[],
    readonly names: MessagingNames,
  ) {
    if (facilities.length === 0) throw new Error('headquarters needs at least one facility');
    const facilityIds = new Set<string>();
    const domains = new Set<string>();
    for (const { facilityId, domain } of facilities) {
      if (!TOKEN.test(facilityId) || !TOKEN.test(domain))
        throw new Error(
          `facility "${facilityId}" with JetStream domain "${domain}": both must be letters, digits, - and _`,
        );
      if (facilityIds.has(facilityId) || domains.has(domain))
        throw new Error(`facility ${facilityId} or domain ${domain} is listed twice`);
      facilityIds.add(facilityId);
      domains.add(domain);
      for (const context of BOUNDED_CONTEXTS)
        this.facilityBySource.set(
          `${names.streamOf(context)}:${natsNameHash(HeadquartersStreams.apiOf(domain))}`,
          facilityId,
        );
    }
  }

  /** The JetStream API of a facility's domain, as headquarters reaches it over the leaf link. */
  static apiOf(domain: string): string {
    return `$JS.${domain}.API`;
  }

  /** Every headquarters stream of a context, one per facility, in the order facilities are listed. */
  streamsOf(context: BoundedContext): HeadquartersStream[] {
    return this.facilities.map(({ facilityId, domain }) => ({
      context,
      facilityId,
      stream: this.names.hqStreamOf(context, facilityId),
      source: {
        name: this.names.streamOf(context),
        external: {
          api: HeadquartersStreams.apiOf(domain),
          // Where the facility pushes what headquarters copies. It crosses the leaf link from the
          // facility to headquarters; the link carries nothing of `fleet.>` (docs/hq.md).
          deliver: this.names.toWire(`fleet-hq.deliver.${domain}.${context}`),
        },
      },
    }));
  }

  /** What a consumer of one facility's headquarters stream trusts: copies from that facility only. */
  trustedSourcesOf(facilityId: string): TrustedStreamSources {
    return {
      facilityOfSource: (header) => (this.facilityOfSource(header) === facilityId ? facilityId : undefined),
    };
  }

  facilityOfSource(streamSourceHeader: string): string | undefined {
    // `<stream>:<hash of the api prefix> <sequence>` (nats-server 2.9)
    const [source] = streamSourceHeader.trim().split(' ');
    return this.facilityBySource.get(source);
  }
}
