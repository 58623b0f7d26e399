import { openDatabase } from './open-database';

describe('openDatabase options', () => {
  it('refuses a URL of another database, without echoing its password', async () => {
    const error = await openDatabase({ url: 'mysql://fleet:s3cret@db:3306/fleet' }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/must start with postgres:\/\/, postgresql:\/\/ or sqlite:/);
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('refuses a schema name that is not a plain SQL identifier before connecting', async () => {
    await expect(
      openDatabase({ url: 'postgres://nobody@127.0.0.1:1/none', schema: 'x; DROP' }),
    ).rejects.toThrow(/lower-case SQL identifier/);
  });
});
