import { Catch, type ArgumentsHost, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

/**
 * Nest's default RPC filter turns any error a handler throws into `{ status: 'error', message:
 * 'Internal server error' }`. For JetStream handlers the transport needs the error itself: its
 * class decides retry versus dead letter (`PoisonMessageError`, zod errors), and its text goes into
 * the dead letter. Register with `microservice.useGlobalFilters(new JetStreamErrorFilter())`.
 */
@Catch()
export class JetStreamErrorFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}
