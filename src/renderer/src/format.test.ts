import { describe, expect, it } from 'vitest';
import { daysSince, formatDate, formatDays, formatMoney, healthBand, humanize } from './format';

describe('format', () => {
  it('formats money as whole dollars', () => {
    expect(formatMoney(380000)).toBe('$380,000');
    expect(formatMoney(1173500)).toBe('$1,173,500');
  });

  it('formats dates without locale ambiguity', () => {
    expect(formatDate('2027-02-08')).toBe('8 Feb 2027');
    expect(formatDate('2026-11-12T09:30:00Z')).toBe('12 Nov 2026');
    expect(formatDate(null)).toBe('—');
  });

  it('says how far away a day is', () => {
    expect(formatDays(67)).toBe('in 67 d');
    expect(formatDays(0)).toBe('today');
    expect(formatDays(-3)).toBe('3 d ago');
    expect(daysSince('2026-11-12', new Date('2026-12-03T15:00:00Z'))).toBe(21);
  });

  it('bands health scores and humanizes machine labels only', () => {
    expect(healthBand(78)).toBe('good');
    expect(healthBand(43)).toBe('poor');
    expect(healthBand(null)).toBe('none');
    expect(humanize('financial_services')).toBe('Financial services');
    expect(humanize('SaaS Platform')).toBe('SaaS Platform');
  });
});
