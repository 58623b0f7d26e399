import {
  formatCount,
  formatKw,
  formatKwh,
  formatPercent,
  formatUsd,
  groupDigits,
  intervalLabel,
  NOT_AVAILABLE,
} from './numbers';

describe('the figures as the page shows them', () => {
  it('groups counts and kilowatts by thousands', () => {
    expect(formatCount(1300)).toBe('1,300');
    expect(formatCount(0)).toBe('0');
    expect(formatKw(2998.8)).toBe('2,998.8 kW');
    expect(formatKw(3000)).toBe('3,000 kW');
    expect(formatPercent(87.54)).toBe('87.5 %');
  });

  it('says "not available" for a figure the report does not have, never 0', () => {
    expect(formatKw(null)).toBe(NOT_AVAILABLE);
    expect(formatPercent(null)).toBe(NOT_AVAILABLE);
    expect(formatKw(0)).toBe('0 kW');
  });

  it('groups the digits of decimal strings exactly, without a float in between', () => {
    expect(groupDigits('3500000.50')).toBe('3,500,000.50');
    expect(groupDigits('12345678901234567890.123456789')).toBe('12,345,678,901,234,567,890.123456789');
    expect(groupDigits('-1234.00')).toBe('-1,234.00');
    expect(groupDigits('999')).toBe('999');
    expect(groupDigits('n/a')).toBe('n/a');
    expect(formatUsd('3500000.00')).toBe('USD 3,500,000.00');
    expect(formatKwh('2066400')).toBe('2,066,400 kWh');
  });

  it('labels intervals in UTC', () => {
    expect(intervalLabel('2026-11-29T14:00:00.000Z', 'hour')).toBe('11-29 14:00');
    expect(intervalLabel('2026-11-29T00:00:00.000Z', 'day')).toBe('2026-11-29');
  });
});
