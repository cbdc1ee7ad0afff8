/** IATA SSIM chapter 7: reader (errors vs warnings), expansion to the dated planned schedule and codeshares, writer. */
export { parseSsim, SSIM_TITLE, type ParseSsimOptions } from './parse';
export { cabinsFromConfiguration, expandSsim, passengerSchedule, readSsimSchedule, toQuarantine, type ExpandOptions, type SsimDisclosure, type SsimSchedule } from './expand';
export { datedLegFromFlightLeg, legFieldsFromDatedLegs, writeSsim, type DatedLegInput, type SsimWriteOptions } from './write';
export { SERVICE_TYPES } from './codes';
export type * from './types';
