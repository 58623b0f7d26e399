import { Module } from '@nestjs/common';
import { FollowRigTimeConsumer } from './commands/follow-rig-time/follow-rig-time.consumer';
import { RigTimeReadModel } from './read-model/rig-time.read-model';

/** Rig time: how long each facility's rigs were online and installed, per day, from power and inventory. */
@Module({
  controllers: [FollowRigTimeConsumer],
  providers: [RigTimeReadModel],
  exports: [RigTimeReadModel],
})
export class RigTimeModule {}
