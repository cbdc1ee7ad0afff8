/** The outbound HTTP toolkit: client (undici + resilience), OAuth2 client credentials, TLS policy, redaction, run figures. */
export { HttpClient, isLoopback, type HttpClientOptions, type HttpEvent, type HttpJsonResponse, type HttpMethod, type HttpRequest, type HttpResponse, type QueryValue, type TokenProvider } from './client';
export { HttpCallError, type HttpCallErrorInit, type HttpFailureKind } from './errors';
export { ClientCredentialsTokenProvider, type ClientCredentialsOptions } from './oauth2';
export { formEncode, MIN_SECRET_LENGTH, REDACTED, Redactor, redactingLogger } from './redact';
export { recordRun, syncResult, toFeedError, type RunRecording, type RunStats, type SyncOutcome } from './run-recorder';
export { loadCaBundle, MIN_TLS_VERSION, parseCaPem, tlsConnectOptions, type TlsConnectOptions, type TlsPolicyOptions } from './tls';
