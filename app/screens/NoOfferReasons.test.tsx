// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { NoOfferReasons } from './NoOfferReasons';

afterEach(cleanup);

describe('NoOfferReasons', () => {
  it('says per direction what was found and why each itinerary was not priced, then the notes', () => {
    render(<NoOfferReasons diagnostics={{
      outbound: { itineraries: 2, priced: 0, rejected: [
        { flightIds: ['DF101/2026-12-10/FRA'], reason: 'sold_out', detail: 'no RBD has 2 seat(s) open on every leg' },
        { flightIds: ['DF201/2026-12-10/FRA', 'DF305/2026-12-10/AMS'], reason: 'below_bid_price', detail: "every fare with seats is at or below the legs' bid prices (sum 41000 EUR)" },
      ] },
      inbound: { itineraries: 0, priced: 0, rejected: [] },
      notes: ['brands are not priced in FRA-AMS/Y/… (no history): the fare-only brand is sold'],
    }} />);
    const text = screen.getByTestId('no-offer-reasons').textContent ?? '';
    expect(text).toContain('Out: 2 itineraries found, 0 priced.');
    expect(text).toContain('DF101/2026-12-10/FRA: sold out (no RBD has 2 seat(s) open on every leg)');
    expect(text).toContain('DF201/2026-12-10/FRA + DF305/2026-12-10/AMS: below the bid price');
    expect(text).toContain('Back: no itinerary flies on this date in this cabin, or its departures have passed.');
    expect(text).toContain('the fare-only brand is sold');
    expect(text).not.toContain('{');
  });
});
