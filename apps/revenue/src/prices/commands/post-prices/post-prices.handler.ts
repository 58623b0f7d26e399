import { compareDecimals, GLOBAL_FACILITY, type PostPricesRequest } from '@fleet/contracts';
import {
  DomainError,
  handleCommands,
  inCommandTransaction,
  type EventStore,
  type StreamCommand,
} from '@fleet/event-sourcing';
import { EVENT_STORE, eventMetadata, type RequestContext } from '@fleet/service-kit';
import { Inject, Injectable } from '@nestjs/common';
import { valuePayoutsAt } from '../../../periods/commands/value-payouts';
import type { FixPrice } from '../../domain/price.commands';
import { priceDecider } from '../../domain/price.decider';
import { PRICE_STREAM_TYPE, priceStreamId } from '../../domain/price-id';
import type { PriceState } from '../../domain/price.state';

export interface PostedPrices {
  readonly fixings: { coin: string; date: string; usd: string }[];
  /** Fixings new to the service (the others were posted before with the same figure). */
  readonly fixed: number;
  /** Payouts booked in coin alone that these fixings valued now. */
  readonly valuedPayouts: number;
}

/**
 * Fixes prices and, in the same transaction, values every payout booked in coin alone on their
 * coins and days. A fixing posted again values whatever is still unvalued at it (a payout booked
 * while the fixing was being written on another connection), so posting it again heals that race.
 */
@Injectable()
export class PostPricesHandler {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  post(request: PostPricesRequest, context: RequestContext): Promise<PostedPrices> {
    const commands = distinctFixings(request);
    return inCommandTransaction(this.store, 3, async (session) => {
      const { results } = await handleCommands(session, priceDecider, commands, {
        streamType: PRICE_STREAM_TYPE,
        metadata: eventMetadata(context, GLOBAL_FACILITY),
      });
      const fixings = results.map(({ command, state }) => ({
        coin: command.command.data.coin,
        date: command.command.data.date,
        // As first fixed: "91234.50" posted again answers the "91234.5" booked.
        usd: state.usd ?? command.command.data.usd,
      }));
      const valuedPayouts = await valuePayoutsAt(
        session,
        fixings.map(({ coin, date, usd }) => ({ coin, day: date, fixingUsd: usd })),
        (facilityId) => eventMetadata(context, facilityId),
      );
      const fixed = results.filter((result) => result.events.length > 0).length;
      return { fixings, fixed, valuedPayouts };
    });
  }
}

/** One command per coin and day; the same fixing twice in a request is one, two figures a 400. */
function distinctFixings(request: PostPricesRequest): StreamCommand<FixPrice, PriceState>[] {
  const seen = new Map<string, string>();
  const commands: StreamCommand<FixPrice, PriceState>[] = [];
  for (const { coin, date, usd } of request.fixings) {
    const key = `${coin}/${date}`;
    const before = seen.get(key);
    if (before !== undefined) {
      if (compareDecimals(before, usd) !== 0)
        throw new DomainError(
          'invalid',
          'fixing-twice-in-request',
          `the ${coin} fixing of ${date} is given twice, as ${before} and ${usd}`,
          { coin, date },
        );
      continue;
    }
    seen.set(key, usd);
    commands.push({
      streamId: priceStreamId(coin, date),
      command: { type: 'FixPrice', data: { coin, date, usd } },
    });
  }
  return commands;
}
