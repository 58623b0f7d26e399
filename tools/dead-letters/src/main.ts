import { runDeadLettersCommand } from './dead-letters-command';

// `npm run dead-letters -- list|replay …`: see USAGE in dead-letters-arguments.ts.
runDeadLettersCommand(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `dead-letters: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
