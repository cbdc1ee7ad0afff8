/**
 * TLS policy against real servers on 127.0.0.1: servers that offer only TLS 1.0 or 1.1 are refused (a
 * control client with matching lowered settings proves they do accept old-protocol connections), and a
 * TLS 1.2+ server with a private CA is accepted exactly when that CA is in the configured bundle.
 *
 * OpenSSL 3 refuses TLS < 1.2 at its default security level (SHA-1/MD5 handshake signatures), so the old
 * servers and the control client lower it: ciphers 'DEFAULT@SECLEVEL=0'. Certificates are made at test
 * time with the openssl command-line tool.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { HttpClient, type HttpClientOptions } from './client';
import { HttpCallError } from './errors';
import { loadCaBundle, MIN_TLS_VERSION, parseCaPem, tlsConnectOptions } from './tls';
import { makeTestPki, opensslAvailable, type TestPki } from './test-support/pki';
import { failure } from './test-support/failure';
import { startScriptedServer, type ScriptedServer } from './test-support/scripted-server';



const hasOpenssl = opensslAvailable();
/** said in the name of a test skipped for want of openssl: why, and where it runs */
const NEEDS_OPENSSL = hasOpenssl ? '' : ' [skipped: no openssl command here to make test certificates; runs under .ci/run, which installs openssl, or after apt-get install openssl]';
let pki: TestPki;
let dir: string;
const open: { close(): Promise<void> }[] = [];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-tls-'));
  if (hasOpenssl) pki = makeTestPki(dir);
});
afterEach(async () => { await Promise.all(open.splice(0).map((x) => x.close())); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

async function server(tlsOptions: Record<string, unknown>): Promise<ScriptedServer> {
  const s = await startScriptedServer({ tls: { key: pki.serverKey, cert: pki.serverCert, ...tlsOptions } });
  open.push(s);
  return s;
}

function client(baseUrl: string, extra: Partial<HttpClientOptions> = {}): HttpClient {
  const c = new HttpClient({ name: 'pss', baseUrl, retry: { maxAttempts: 1 }, requestTimeoutMs: 5_000, ...extra });
  open.push(c);
  return c;
}

/** A raw TLS connection with the given settings; resolves with the negotiated protocol. */
function controlConnect(port: number, opts: tls.ConnectionOptions): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca: pki.caPem, ...opts }, () => {
      const protocol = socket.getProtocol();
      socket.end();
      resolve(protocol);
    });
    socket.on('error', reject);
  });
}

describe.skipIf(!hasOpenssl)(`TLS policy${NEEDS_OPENSSL}`, () => {
  for (const version of ['TLSv1', 'TLSv1.1'] as const) {
    it(`refuses a server that offers only ${version}, which a lowered control client does reach`, async () => {
      const old = await server({ minVersion: version, maxVersion: version, ciphers: 'DEFAULT@SECLEVEL=0' });
      // control: the server really accepts the old protocol
      const negotiated = await controlConnect(old.port, { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' });
      expect(negotiated).toBe(version);
      // ours: refused, though the certificate is trusted
      const e = await failure(client(old.url, { tls: { caFile: pki.caFile } }).request({ method: 'GET', path: '/v1/a' }));
      expect(e).toBeInstanceOf(HttpCallError);
      expect(e).toMatchObject({ kind: 'tls', retryable: false });
      expect((e as HttpCallError).message).toMatch(/TLS protocol failure: tlsv1 alert protocol version\. What to do: /);
      expect((e as HttpCallError).hint).toMatch(/does not offer TLS 1.2 or newer/);
      expect(old.requests).toHaveLength(0);
    });
  }

  it('accepts a TLS 1.2+ server whose private CA is in the configured bundle', async () => {
    const modern = await server({ minVersion: 'TLSv1.2' });
    modern.script({ kind: 'json', body: { ok: true } });
    const res = await client(modern.url, { tls: { caFile: pki.caFile } }).json<{ ok: boolean }>({ method: 'GET', path: '/v1/a' });
    expect(res.data.ok).toBe(true);
    expect(modern.requests[0]!.tlsProtocol).toMatch(/^TLSv1\.[23]$/);
  });

  it('accepts a server capped at TLS 1.2 (the oldest allowed)', async () => {
    const capped = await server({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' });
    await client(capped.url, { tls: { caPem: pki.caPem, caMode: 'replace' } }).request({ method: 'GET', path: '/' });
    expect(capped.requests[0]!.tlsProtocol).toBe('TLSv1.2');
  });

  it('refuses the same server when the CA is not configured', async () => {
    const modern = await server({ minVersion: 'TLSv1.2' });
    const e = await failure(client(modern.url).request({ method: 'GET', path: '/v1/a' }));
    expect(e).toBeInstanceOf(HttpCallError);
    expect(e).toMatchObject({ kind: 'tls', retryable: false });
    expect(e.hint).toMatch(/set the CA bundle \(tls\.caFile\)/);
    expect(modern.requests).toHaveLength(0);
  });

  it('times out a server that accepts TCP but never completes the handshake', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((s) => { sockets.add(s); });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    open.push({ close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); silent.close(() => r()); }) });
    const port = (silent.address() as net.AddressInfo).port;
    const e = await failure(client(`https://127.0.0.1:${port}`, { connectTimeoutMs: 150, tls: { caFile: pki.caFile } })
      .request({ method: 'GET', path: '/' }));
    expect(e).toMatchObject({ kind: 'connect', retryable: true });
    expect(e.message).toMatch(/no connection within 150 ms/);
  });
});

describe('TLS options', () => {
  it('always sets TLS 1.2 as the minimum and verifies certificates', () => {
    expect(tlsConnectOptions()).toEqual({ minVersion: MIN_TLS_VERSION, rejectUnauthorized: true });
  });

  it.skipIf(!hasOpenssl)(`adds the bundle to the built-in roots, or replaces them${NEEDS_OPENSSL}`, () => {
    const add = tlsConnectOptions({ caFile: pki.caFile });
    expect(add.ca).toHaveLength(tls.rootCertificates.length + 1);
    expect(tlsConnectOptions({ caFile: pki.caFile, caMode: 'replace' }).ca).toEqual([pki.caPem.trim()]);
    expect(loadCaBundle(pki.caFile)).toHaveLength(1);
  });

  it('explains a bad CA bundle', () => {
    expect(() => loadCaBundle(path.join(os.tmpdir(), 'no-such-ca.pem'))).toThrow(/cannot be read \(ENOENT\): check the tls\.caFile setting/);
    expect(() => parseCaPem('hello', 'ca.pem')).toThrow(/ca\.pem holds no PEM certificate/);
    expect(() => parseCaPem('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----', 'ca.pem')).toThrow(/certificate 1 is not valid X\.509/);
    expect(() => tlsConnectOptions({ caMode: 'replace' })).toThrow(/needs a CA bundle/);
  });
});
