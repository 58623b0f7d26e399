import { BaseRpcExceptionFilter } from '@nestjs/microservices';
import { lastValueFrom, type Observable } from 'rxjs';
import { z } from 'zod';
import { isPoisonMessageFailure, PoisonMessageError } from './poison-message.error';

describe('poison message failures', () => {
  it('recognises a PoisonMessageError and a zod error, and nothing else', () => {
    expect(isPoisonMessageFailure(new PoisonMessageError('never'))).toBe(true);
    expect(isPoisonMessageFailure(z.string().safeParse(1).error)).toBe(true);
    expect(isPoisonMessageFailure(new Error('database down'))).toBe(false);
    expect(isPoisonMessageFailure({ status: 'error', message: 'Internal server error' })).toBe(false);
    expect(isPoisonMessageFailure(undefined)).toBe(false);
  });

  it("survives Nest's default RPC filter with its text and its mark", async () => {
    const filter = new BaseRpcExceptionFilter();
    const reported = await lastValueFrom(
      filter.catch(
        new PoisonMessageError('order o-1 never existed'),
        undefined as never,
      ) as Observable<unknown>,
    ).catch((error: unknown) => error);
    expect(reported).toEqual({ status: 'error', message: 'order o-1 never existed', poison: true });
    expect(isPoisonMessageFailure(reported)).toBe(true);
  });
});
