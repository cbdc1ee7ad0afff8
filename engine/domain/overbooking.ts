/** The most a market's overbooking setting may authorise above a cabin's seats, percent (Settings → Pricing). */
export const OVERBOOKING_MAX_PCT = 50;
