import { parseArgs } from 'node:util';
import type { DeadLetterFilter } from '@fleet/messaging';

export const USAGE = `usage: npm run dead-letters -- list [--consumer <name>] [--subject <pattern>] [--seq <n>] [--json]
       npm run dead-letters -- replay (--seq <n> | --all) [--consumer <name>] [--subject <pattern>] [--force]

  --consumer  only what this consumer gave up on (e.g. inventory-ShipmentUnitsReceived)
  --subject   only messages from this subject; wildcards allowed (fleet.procurement.*.ShipmentUnitsReceived)
  --seq       one dead letter, by its number (#) in the list
  --all       replay every dead letter the filters leave
  --force     replay even an event older than INBOX_RETENTION_MS
  --json      list as JSON, one dead letter per line

NATS_URL, FLEET_NATS_NAMESPACE and INBOX_RETENTION_MS are read as the services read them.`;

export type DeadLettersArguments =
  | { readonly command: 'list'; readonly filter: DeadLetterFilter; readonly json: boolean }
  | { readonly command: 'replay'; readonly filter: DeadLetterFilter; readonly force: boolean }
  | { readonly command: 'help' };

/** The command line is wrong: say why, then the usage. */
export class UsageError extends Error {}

/** `list|replay` and their flags; throws a `UsageError` for anything else. */
export function parseDeadLettersArguments(argv: readonly string[]): DeadLettersArguments {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        consumer: { type: 'string' },
        subject: { type: 'string' },
        seq: { type: 'string' },
        all: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  const [command, ...extra] = positionals;
  if (command !== 'list' && command !== 'replay')
    throw new UsageError(command ? `unknown command "${command}"` : 'say list or replay');
  if (extra.length > 0) throw new UsageError(`unexpected "${extra.join(' ')}"`);
  const filter: DeadLetterFilter = {
    ...(values.consumer === undefined ? {} : { consumer: values.consumer }),
    ...(values.subject === undefined ? {} : { subject: values.subject }),
    ...(values.seq === undefined ? {} : { sequence: sequenceOf(values.seq) }),
  };
  if (command === 'list') {
    if (values.all || values.force) throw new UsageError('--all and --force go with replay');
    return { command, filter, json: values.json };
  }
  if (values.json) throw new UsageError('--json goes with list');
  // Replaying every dead letter is never what an empty command line means.
  if ((values.seq === undefined) === !values.all)
    throw new UsageError('replay takes either --seq <n> or --all');
  return { command, filter, force: values.force };
}

function sequenceOf(text: string): number {
  if (!/^[1-9]\d*$/.test(text)) throw new UsageError(`--seq takes a dead letter's number, not "${text}"`);
  return Number(text);
}
