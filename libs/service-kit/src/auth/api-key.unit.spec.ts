import { apiKeyOf, digestOf, keyIdOf, parseApiKeys } from './api-key';

describe('parseApiKeys', () => {
  it('parses role:key pairs, several keys per role allowed', () => {
    const parsed = parseApiKeys(
      ' admin:aaaaaaaaaaaaaaaa1 , reports:bbbbbbbbbbbbbbbb2,reports:cccccccccccccccc3 ',
    );
    expect(parsed).toEqual({
      ok: true,
      keys: [
        apiKeyOf('admin', 'aaaaaaaaaaaaaaaa1'),
        apiKeyOf('reports', 'bbbbbbbbbbbbbbbb2'),
        apiKeyOf('reports', 'cccccccccccccccc3'),
      ],
    });
  });

  it('accepts every character of a bearer token and nothing else', () => {
    expect(parseApiKeys('finance:Ab0-._~+/cdefghijklm==').ok).toBe(true);
    expect(parseApiKeys('finance:abcdefghijklmnop:q').ok).toBe(false);
    expect(parseApiKeys('finance:abcdefghijklmnop"q').ok).toBe(false);
  });

  it('refuses malformed entries, naming each by position', () => {
    const parsed = parseApiKeys(
      'admin,operations:has spaces in it!!,procurement:dddddddddddddddd,procurement:dddddddddddddddd',
    );
    expect(parsed).toEqual({
      ok: false,
      message:
        'entry 1 is not of the form role:key; the key of entry 2 (operations) may hold only letters, digits and - . _ ~ + / (and trailing =); the key of entry 4 (procurement) is listed twice',
    });
  });

  it('refuses an empty list', () => {
    expect(parseApiKeys(' , ')).toEqual({ ok: false, message: 'holds no role:key pair' });
  });
});

describe('key ids', () => {
  it('are short, stable, and neither the key nor its lookup digest', () => {
    const key = 'fleet_admin_0123456789abcdefghij';
    expect(keyIdOf(key)).toMatch(/^[0-9a-f]{10}$/);
    expect(keyIdOf(key)).toBe(keyIdOf(key));
    expect(digestOf(key).startsWith(keyIdOf(key))).toBe(false);
    expect(keyIdOf('fleet_admin_0123456789abcdefghik')).not.toBe(keyIdOf(key));
  });
});
