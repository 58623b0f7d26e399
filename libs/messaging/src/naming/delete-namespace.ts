import type { JetStreamManager } from '@nats-io/jetstream';
import type { MessagingNames } from './messaging-names';
import { isStreamNotFound } from '../setup/jetstream-errors';

/**
 * Deletes every stream of a namespace (with their consumers): a test's clean-up. Refuses the
 * production names, so a slip in a test cannot delete `PROCUREMENT`.
 */
export async function deleteMessagingNamespace(jsm: JetStreamManager, names: MessagingNames): Promise<void> {
  if (names.isProduction) throw new Error('refusing to delete the production streams');
  for (const stream of names.streamNames) {
    try {
      await jsm.streams.delete(stream);
    } catch (error) {
      if (!isStreamNotFound(error)) throw error;
    }
  }
}
