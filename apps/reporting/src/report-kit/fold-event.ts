import type { EventEnvelope } from '@fleet/contracts';
import type { JetStreamContext } from '@fleet/messaging';
import { DocumentWorkingSet } from './document-working-set';
import { reportEventOf } from './report-event';
import type { ReportFold } from './report-fold';
import { activeGeneration, checkpointOf, saveCheckpoint } from './report-generations';

/**
 * A consumer's work: folds one delivered event into its report's documents of the active
 * generation and moves the consumer's checkpoint, in the consumer's transaction (with its inbox
 * row, so a repeated delivery is folded once). An event type no fold knows moves the checkpoint
 * only; a message a rebuild already folded into this generation is passed over.
 */
export async function foldDeliveredEvent(
  envelope: EventEnvelope,
  context: JetStreamContext,
  folds: readonly ReportFold<unknown>[],
): Promise<void> {
  const manager = context.session.manager;
  const generation = await activeGeneration(manager, { forFolding: true });
  const checkpoint = await checkpointOf(manager, generation, context.consumer);
  if (checkpoint && context.streamSequence <= Number(checkpoint.rebuiltThrough)) return;
  const event = reportEventOf(envelope);
  if (event) {
    const documents = new DocumentWorkingSet(generation, folds);
    await documents.load(manager, [event]);
    documents.apply(event);
    await documents.flush(manager);
  }
  await saveCheckpoint(manager, checkpoint, {
    generation,
    consumer: context.consumer,
    position: envelope.position,
    streamSequence: String(context.streamSequence),
    folded: 1,
  });
}
