import { z } from 'zod';

/** The coins the pools pay in, and how many decimals each has (satoshi, zatoshi). */
export const COIN_DECIMALS = { BTC: 8, ZEC: 8 } as const;
export const COINS = Object.keys(COIN_DECIMALS) as Coin[];
export type Coin = keyof typeof COIN_DECIMALS;
export const Coin = z.enum(['BTC', 'ZEC']);

/** A coin amount in events and tables: an exact integer of base units, as a string ("12345678"). */
export const BaseUnits = z
  .string()
  .regex(/^-?(0|[1-9]\d{0,24})$/, 'an integer of base units, e.g. "12345678"');

/** A coin amount on the API: a non-negative decimal string ("0.12345678"); decimals are checked per coin. */
export const CoinDecimal = z
  .string()
  .regex(/^(0|[1-9]\d{0,14})(\.\d+)?$/, 'a non-negative decimal number as a string, e.g. "0.12345678"');

export class CoinAmountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CoinAmountError';
  }
}

/**
 * "0.12345678" BTC → 12345678n. Refuses more decimals than the coin has rather than rounding: a
 * pool statement with a ninth decimal is wrong, and booking it rounded would hide that.
 */
export function parseCoinAmount(coin: Coin, text: string): bigint {
  const match = /^(0|[1-9]\d{0,14})(?:\.(\d+))?$/.exec(text);
  if (!match) throw new CoinAmountError(`"${text}" is not a non-negative decimal number`);
  const decimals = COIN_DECIMALS[coin];
  const fraction = match[2] ?? '';
  if (fraction.length > decimals)
    throw new CoinAmountError(`"${text}" has ${fraction.length} decimals; ${coin} has ${decimals}`);
  return BigInt(match[1] + fraction.padEnd(decimals, '0'));
}

/** 12345678n BTC → "0.12345678": always every decimal of the coin, so amounts line up in a column. */
export function formatCoinAmount(coin: Coin, baseUnits: bigint): string {
  const decimals = COIN_DECIMALS[coin];
  const sign = baseUnits < 0n ? '-' : '';
  const digits = (baseUnits < 0n ? -baseUnits : baseUnits).toString().padStart(decimals + 1, '0');
  return `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}
