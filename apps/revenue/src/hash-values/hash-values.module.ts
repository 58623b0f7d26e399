import { Module } from '@nestjs/common';
import { PostHashValuesController } from './commands/post-hash-values/post-hash-values.controller';

/** What a unit of hashrate earned per day, for reconciliation. */
@Module({ controllers: [PostHashValuesController] })
export class HashValuesModule {}
