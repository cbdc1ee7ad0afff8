/**
 * The TLS policy of every outbound HTTPS connection: TLS 1.2 or newer, certificates verified, and an
 * optional CA bundle (PEM) for private or corporate certificate authorities.
 */
import fs from 'node:fs';
import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';

export const MIN_TLS_VERSION = 'TLSv1.2' as const;

export interface TlsPolicyOptions {
  /** path of a PEM file with one or more CA certificates */
  caFile?: string;
  /** PEM text with one or more CA certificates (instead of, or besides, caFile) */
  caPem?: string;
  /**
   * 'add' (default): trust the bundle in addition to Node's built-in root CAs;
   * 'replace': trust only the bundle (pinning to a private CA).
   */
  caMode?: 'add' | 'replace';
}

/** The options every TLS connection is made with (passed to undici's connector). */
export interface TlsConnectOptions {
  minVersion: typeof MIN_TLS_VERSION;
  rejectUnauthorized: true;
  ca?: string[];
}

const PEM_CERT_RE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Reads and checks a CA bundle; throws naming the file and what is wrong. */
export function loadCaBundle(caFile: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(caFile, 'utf8');
  } catch (e) {
    throw new Error(`TLS CA bundle ${caFile} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): check the tls.caFile setting`);
  }
  return parseCaPem(text, caFile);
}

/** Splits PEM text into certificates, checking each parses as X.509. */
export function parseCaPem(text: string, where = 'CA PEM'): string[] {
  const certs = text.match(PEM_CERT_RE) ?? [];
  if (certs.length === 0) throw new Error(`TLS CA bundle ${where} holds no PEM certificate ("-----BEGIN CERTIFICATE-----"): give a PEM file of CA certificates`);
  certs.forEach((pem, i) => {
    try {
      new X509Certificate(pem);
    } catch (e) {
      throw new Error(`TLS CA bundle ${where}: certificate ${i + 1} is not valid X.509 (${(e as Error).message})`);
    }
  });
  return certs;
}

/** Builds the connect options for the policy. */
export function tlsConnectOptions(opts: TlsPolicyOptions = {}): TlsConnectOptions {
  const bundle = [
    ...(opts.caFile ? loadCaBundle(opts.caFile) : []),
    ...(opts.caPem ? parseCaPem(opts.caPem) : []),
  ];
  const base: TlsConnectOptions = { minVersion: MIN_TLS_VERSION, rejectUnauthorized: true };
  if (bundle.length === 0) {
    if (opts.caMode === 'replace') throw new Error("TLS policy: caMode 'replace' needs a CA bundle (caFile or caPem)");
    return base;
  }
  return { ...base, ca: opts.caMode === 'replace' ? bundle : [...tls.rootCertificates, ...bundle] };
}

const PROTOCOL_CODES = new Set([
  'ERR_SSL_UNSUPPORTED_PROTOCOL', 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', 'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_NO_PROTOCOLS_AVAILABLE', 'ERR_SSL_UNSUPPORTED_PROTOCOL_VERSION',
]);
const CERT_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_REVOKED',
  'CERT_UNTRUSTED', 'CERT_SIGNATURE_FAILURE', 'HOSTNAME_MISMATCH',
]);

/** Classifies a TLS failure and says what to do, or undefined when the error is not a TLS one. */
export function describeTlsError(code: string | undefined, message: string): { kind: 'protocol' | 'certificate' | 'handshake'; hint: string } | undefined {
  if ((code && PROTOCOL_CODES.has(code)) || /unsupported protocol|protocol version|wrong version number/i.test(message)) {
    return { kind: 'protocol', hint: `the server does not offer TLS 1.2 or newer and DFAE refuses older protocols: ask the system's operator to enable TLS 1.2 or 1.3` };
  }
  if ((code && CERT_CODES.has(code)) || /certificate|self[- ]signed/i.test(message)) {
    return { kind: 'certificate', hint: `the server's certificate is not trusted: if it is issued by a private CA, set the CA bundle (tls.caFile) to that CA's PEM; check the host name and the certificate's validity` };
  }
  if (code?.startsWith('ERR_SSL_') || code?.startsWith('ERR_TLS_')) {
    return { kind: 'handshake', hint: 'the TLS handshake failed: check the URL (https on a TLS port) and the server\'s TLS configuration' };
  }
  return undefined;
}

/** OpenSSL's reason text without its error-queue prefix and source location, on one line. */
export function opensslReason(message: string): string {
  const m = /SSL routines:[^:]*:([^:\n]+)/.exec(message);
  return (m ? m[1]! : message).replace(/\s+/g, ' ').trim();
}
