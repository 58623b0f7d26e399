import { Module } from '@nestjs/common';
import { PostPricesController } from './commands/post-prices/post-prices.controller';
import { PostPricesHandler } from './commands/post-prices/post-prices.handler';

/** Coins' USD fixings, which value the payouts booked in coin alone. */
@Module({ controllers: [PostPricesController], providers: [PostPricesHandler] })
export class PricesModule {}
