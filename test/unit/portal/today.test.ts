import { afterEach, describe, expect, it } from 'vitest';
import { setFirmTimeZone, today } from '../../../portal/src/dates.ts';

/** The dates the portal proposes (payment date, cut-off, run date) are the firm's calendar date, not the browser's. */
describe('today() in the portal', () => {
  afterEach(() => setFirmTimeZone(undefined));

  it('is the calendar date in the firm’s time zone', () => {
    // 25 hours apart: at any instant these two zones are on different calendar dates
    setFirmTimeZone('Pacific/Kiritimati');
    const ahead = today();
    setFirmTimeZone('Pacific/Pago_Pago');
    const behind = today();
    expect(ahead).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(behind).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(ahead > behind).toBe(true);
  });
});
