/** How the what-if dialog writes its numbers (the e2e journey compares the screen with the API through these). */
export const whatIfMoney = (v: number) => v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
export const whatIfSigned = (v: number) => `${v >= 0 ? '+' : '−'}${whatIfMoney(Math.abs(v))}`;
export const whatIfPct = (v: number) => `${(v * 100).toFixed(1)} %`;
/** The test id prefix of a flight's table. */
export const whatIfFlightTestId = (flightId: string) => `whatif-${flightId.replace(/[^A-Za-z0-9]/g, '_')}`;
