import { Logger, type LoggerService } from '@nestjs/common';

/**
 * The log lines the messaging layer writes. Nest's `LoggerService` fits, so service-kit passes its
 * pino-backed logger; the default is Nest's `Logger`, which nestjs-pino replaces globally anyway.
 */
export type MessagingLogger = Pick<LoggerService, 'log' | 'warn' | 'error'>;

export function defaultMessagingLogger(context: string): MessagingLogger {
  return new Logger(context);
}
