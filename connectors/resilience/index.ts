/** The resilience toolkit shared by every adapter: retry timing, the retry loop, circuit breaker, fallback cache. */
export { DEFAULT_RETRY_POLICY, backoffDelayMs, parseRetryAfter, retryPolicy, type RetryPolicy } from './backoff';
export { retry, RetryGaveUp, type GiveUpReason, type RetryInfo, type RetryOptions, type RetryVerdict } from './retry';
export { BreakerOpenError, CircuitBreaker, type BreakerOutcome, type BreakerPermit, type CircuitBreakerOptions, type TransitionListener } from './breaker';
export { FallbackCache, type FallbackCacheOptions, type FallbackEntry, type FallbackHit, type FallbackPersistence, type FetchedOrFallback } from './fallback-cache';
export { realSleep, seededRandom, type Random, type Sleep } from './random';
