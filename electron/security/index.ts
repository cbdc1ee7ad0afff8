/**
 * Desktop and bridge security, as pure functions and structurally typed glue (nothing here imports
 * electron). See README.md for how each rule of Electron's security checklist maps to these modules.
 */
export { APP_SCHEME, APP_HOST, APP_ORIGIN, APP_ENTRY_URL, APP_SCHEME_PRIVILEGES, parseUrl, originOf, isAppUrl } from './appOrigin';
export {
  secureWebPreferences,
  secureWindowOptions,
  findUnsafeWebPreferences,
  type SecureWebPreferences,
  type SecureWebPreferencesOptions,
  type SecureWindowOptions,
} from './webPreferences';
export {
  CSP_NONCE_PLACEHOLDER,
  buildContentSecurityPolicy,
  newCspNonce,
  injectCspNonce,
  parseContentSecurityPolicy,
  securityHeaders,
  type CspOptions,
} from './csp';
export {
  resolveAssetPath,
  serveStaticAsset,
  createAppProtocolHandler,
  contentTypeFor,
  type AssetPath,
  type StaticAssetOptions,
  type StaticAssetResponse,
} from './staticAssets';
export {
  decideNavigation,
  decideWindowOpen,
  validateExternalUrl,
  describeUrl,
  type Decision,
  type ExternalUrlCheck,
  type ExternalUrlOptions,
  type WindowOpenDecision,
} from './navigation';
export { checkIpcSender, ipcSenderInfo, type IpcSenderInfo, type IpcSenderPolicy, type IpcEventLike, type SenderCheck } from './ipcSender';
export {
  applyWindowSecurity,
  denyAllPermissions,
  type WindowLike,
  type WebContentsLike,
  type SessionLike,
  type PreventableEvent,
  type NavigationEventLike,
  type SecurityEvent,
  type WindowSecurityDeps,
} from './windowSecurity';
export {
  bridgeOrigins,
  checkHost,
  checkOrigin,
  checkFetchSite,
  checkContentLength,
  checkJsonContentType,
  readBodyLimited,
  BodyTooLargeError,
  safeEqual,
  newSessionToken,
  sessionCookieName,
  sessionCookie,
  readCookie,
  checkSessionAuth,
  acceptsToken,
  checkBridgeRequest,
  checkTokenExchange,
  type GuardResult,
  type BridgeAuthInput,
  type SessionCheck,
  type BridgeRequestInfo,
  type BridgePolicy,
} from './bridgeGuards';
