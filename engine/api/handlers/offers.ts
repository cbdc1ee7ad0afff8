import type { Handlers } from '../dispatch';
import { offersContract } from '../contract/offers';
import { ApiError } from '../errors';
import { OfferRequestError } from '../../offers/request';
import { OfferServiceError, type OfferService } from '../../offers/service';
import { SettingError } from '../../bundling/service';
import { ExchangeRateMissingError } from '../../pricing/competitor';

/** The engines' errors as API errors: a bad request names its fields, missing data says what to sync or set. */
function apiError(method: string, e: unknown): unknown {
  if (e instanceof OfferRequestError) {
    const first = e.issues[0]!;
    return new ApiError('validation', `Invalid input for ${method}: ${first.field}: ${first.message}`, { field: first.field, issues: e.issues });
  }
  if (e instanceof OfferServiceError) return new ApiError(e.code, e.message, { field: e.field });
  if (e instanceof SettingError) return new ApiError('unavailable', e.message, { field: e.key });
  if (e instanceof ExchangeRateMissingError) {
    return new ApiError('unavailable', `${e.message}; offers need it to convert a charge in ${e.from} into ${e.to} (or set offers.taxes and bundles.catalogue in ${e.to})`);
  }
  return e;
}

function wrap<I, O>(method: string, f: (input: I, signal?: AbortSignal) => O): (input: I, ctx: { signal?: AbortSignal }) => O {
  return (input, ctx) => {
    try {
      const out = f(input, ctx.signal);
      return (out instanceof Promise ? out.catch((e: unknown) => { throw apiError(method, e); }) : out) as O;
    } catch (e) {
      throw apiError(method, e);
    }
  };
}

export function offersHandlers(deps: { offers: OfferService }): Handlers<typeof offersContract> {
  const s = deps.offers;
  const b = s.bundling;
  return {
    'offers.shop': wrap('offers.shop', (input) => s.shop(input)),
    'offers.get': wrap('offers.get', (input: { offerId: string }) => s.get(input.offerId)),
    'offers.revalidate': wrap('offers.revalidate', (input: { offerId: string }) => s.revalidate(input.offerId)),
    'offers.order': wrap('offers.order', (input: { offerId: string }, signal) => s.order(input.offerId, signal)),
    'offers.list': wrap('offers.list', (input) => ({ rows: s.list(input) })),
    'offers.ndc': wrap('offers.ndc', (input: { shoppingResponseId: string }) => ({ document: s.ndc(input.shoppingResponseId) })),
    'bundles.catalogue': wrap('bundles.catalogue', () => b.settings()),
    'bundles.brands': wrap('bundles.brands', (input) => b.marketBrands(input)),
    'bundles.estimates': wrap('bundles.estimates', (input) => b.estimatesView(input)),
  };
}
