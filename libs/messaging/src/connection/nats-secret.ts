import { inspect } from 'node:util';

/**
 * A credential read at start-up (a password, a token, a .creds file, an nkey seed). It prints as
 * `***` however it is printed (template string, `JSON.stringify`, `console.log`, pino), so that a
 * settings object can be logged or shown in an error without leaking it; `reveal()` is the one way
 * to the value, for the NATS client only.
 */
export class NatsSecret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '***';
  }

  toJSON(): string {
    return '***';
  }

  [inspect.custom](): string {
    return '***';
  }
}
