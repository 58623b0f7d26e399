import { ConfigError, loadToolSettings, type FleetEnv, type ToolSettings } from '@fleet/service-kit';
import { connectNats, DeadLetterStream, MessagingNames, type DeadLetter } from '@fleet/messaging';
import { deadLetterJson, describeDeadLetter, describeReplay } from './dead-letter-lines';
import {
  parseDeadLettersArguments,
  USAGE,
  UsageError,
  type DeadLettersArguments,
} from './dead-letters-arguments';

/** Where the command writes: results to `out`, problems to `err`. */
export interface CommandOutput {
  out(line: string): void;
  err(line: string): void;
}

const TOOL = 'dead-letters';

/**
 * `npm run dead-letters -- list|replay …`. Resolves with the exit code: 0 done, 1 something was not
 * replayed (or not found, or NATS failed), 2 a wrong command line or setting.
 */
export async function runDeadLettersCommand(
  argv: readonly string[],
  env: FleetEnv,
  output: CommandOutput,
): Promise<number> {
  let parsed: DeadLettersArguments;
  let settings: ToolSettings;
  try {
    parsed = parseDeadLettersArguments(argv);
    if (parsed.command === 'help') {
      output.out(USAGE);
      return 0;
    }
    settings = loadToolSettings(TOOL, env);
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(`${TOOL}: ${error.message}`);
      output.err(USAGE);
      return 2;
    }
    if (error instanceof ConfigError) {
      output.err(error.message);
      return 2;
    }
    throw error;
  }
  try {
    const connection = await connectNats({
      servers: settings.nats.servers,
      security: settings.nats.security,
      name: TOOL,
    });
    try {
      const names = settings.nats.namespace
        ? MessagingNames.namespaced(settings.nats.namespace)
        : MessagingNames.production;
      const deadLetters = new DeadLetterStream(connection, names);
      return parsed.command === 'list'
        ? await list(deadLetters, parsed, output)
        : await replay(deadLetters, parsed, settings.inboxRetentionMs, output);
    } finally {
      await connection.close();
    }
  } catch (error) {
    // NATS unreachable, no dead-letter stream, a publish refused: one line, not a stack.
    output.err(`${TOOL}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

async function list(
  deadLetters: DeadLetterStream,
  { filter, json }: Extract<DeadLettersArguments, { command: 'list' }>,
  output: CommandOutput,
): Promise<number> {
  const letters = await deadLetters.list(filter);
  for (const letter of letters)
    if (json) output.out(deadLetterJson(letter));
    else for (const line of describeDeadLetter(letter)) output.out(line);
  if (!json) output.out(`${letters.length} dead letter${letters.length === 1 ? '' : 's'}`);
  return 0;
}

async function replay(
  deadLetters: DeadLetterStream,
  { filter, force }: Extract<DeadLettersArguments, { command: 'replay' }>,
  inboxRetentionMs: number,
  output: CommandOutput,
): Promise<number> {
  const letters = await deadLetters.list(filter);
  if (filter.sequence !== undefined && letters.length === 0) {
    output.err(`${TOOL}: no dead letter #${filter.sequence} matches`);
    return 1;
  }
  // Two consumers that gave up on one event left a dead letter each; one replay reaches both (every
  // consumer of the subject receives it), and a second would be dropped as a duplicate.
  const byEvent = new Map<string, DeadLetter[]>();
  for (const letter of letters) {
    const key = `${letter.originalStream} ${letter.originalMsgId ?? `#${letter.sequence}`}`;
    byEvent.set(key, [...(byEvent.get(key) ?? []), letter]);
  }
  let kept = 0;
  let replayed = 0;
  for (const [first, ...others] of byEvent.values()) {
    const outcome = await deadLetters.replay(first, { inboxRetentionMs, force });
    output.out(describeReplay(first, outcome));
    if (outcome.outcome === 'kept') {
      kept += 1 + others.length;
      continue;
    }
    replayed += 1;
    for (const other of others) {
      await deadLetters.remove(other);
      replayed += 1;
      output.out(
        `replayed #${other.sequence} with #${first.sequence} (the same event, dead-lettered by ${other.consumer})`,
      );
    }
  }
  output.out(`replayed ${replayed}, kept ${kept}`);
  return kept === 0 ? 0 : 1;
}
