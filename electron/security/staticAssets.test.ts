import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSP_NONCE_PLACEHOLDER, parseContentSecurityPolicy } from './csp';
import { createAppProtocolHandler, resolveAssetPath, serveStaticAsset } from './staticAssets';

const NONCE = 'AAECAwQFBgcICQoLDA0ODxAR';
let base: string;
let root: string;

beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'dfae-static-'));
  root = path.join(base, 'dist');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), `<!doctype html><meta property="csp-nonce" nonce="${CSP_NONCE_PLACEHOLDER}"><script type="module" src="/assets/app-1a2b.js"></script>`);
  fs.writeFileSync(path.join(root, 'assets', 'app-1a2b.js'), 'console.log("app")');
  fs.writeFileSync(path.join(root, 'assets', 'grid.css'), '.x{}');
  fs.writeFileSync(path.join(root, 'assets', 'my file.svg'), '<svg/>');
  fs.writeFileSync(path.join(base, 'secret.txt'), 'outside the root');
  fs.symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

const get = (pathname: string, method = 'GET') => serveStaticAsset({ method, pathname }, { root, newNonce: () => NONCE });

describe('resolveAssetPath', () => {
  it('maps / and client routes to index.html and files to themselves', () => {
    expect(resolveAssetPath(root, '/')).toMatchObject({ ok: true, file: path.join(root, 'index.html'), spa: true });
    expect(resolveAssetPath(root, '/fares/LHR-JFK')).toMatchObject({ ok: true, file: path.join(root, 'index.html') });
    expect(resolveAssetPath(root, '/assets/my%20file.svg')).toMatchObject({ ok: true, file: path.join(root, 'assets', 'my file.svg'), spa: false });
  });

  it.each(['/..%2f..%2fetc%2fpasswd.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/assets/..%5csecret.txt', '/a%00.js', '/C:%5cWindows%5cwin.ini', '/%E0%A4%A.js'])('refuses %s', (p) => {
    expect(resolveAssetPath(root, p).ok).toBe(false);
  });
});

describe('serveStaticAsset', () => {
  it('serves index.html with this response’s nonce and the CSP naming it', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(res.headers['Cache-Control']).toBe('no-store');
    const body = res.body.toString('utf8');
    expect(body).toContain(`nonce="${NONCE}"`);
    expect(body).not.toContain(CSP_NONCE_PLACEHOLDER);
    expect(parseContentSecurityPolicy(res.headers['Content-Security-Policy']!).get('style-src')).toContain(`'nonce-${NONCE}'`);
    expect(res.headers['X-Content-Type-Options']).toBe('nosniff');
  });

  it('serves assets with their MIME type (module scripts need text/javascript)', async () => {
    const js = await get('/assets/app-1a2b.js');
    expect(js.status).toBe(200);
    expect(js.headers['Content-Type']).toBe('text/javascript; charset=utf-8');
    expect(js.body.toString()).toBe('console.log("app")');
    expect((await get('/assets/grid.css')).headers['Content-Type']).toBe('text/css; charset=utf-8');
    expect((await get('/assets/my%20file.svg')).headers['Content-Type']).toBe('image/svg+xml');
  });

  it('answers HEAD without a body and other methods with 405', async () => {
    const head = await get('/assets/app-1a2b.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    const post = await get('/', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.Allow).toBe('GET, HEAD');
  });

  it('returns 404 for missing files, escapes and symlinks leading out', async () => {
    for (const p of ['/assets/missing.js', '/assets/%2e%2e/%2e%2e/secret.txt', '/assets/link.txt', '/index.html/x.js']) {
      const res = await get(p);
      expect(res.status, p).toBe(404);
      expect(res.body.toString()).not.toContain('outside the root');
    }
  });
});

describe('createAppProtocolHandler', () => {
  const handler = (req: { url: string; method: string }) => createAppProtocolHandler({ root, newNonce: () => NONCE })(req);

  it('serves app://dfae/ as a Response with the security headers', async () => {
    const res = await handler({ url: 'app://dfae/index.html', method: 'GET' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain(`nonce="${NONCE}"`);
    const js = await handler({ url: 'app://dfae/assets/app-1a2b.js', method: 'GET' });
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('refuses other hosts of the scheme and malformed URLs', async () => {
    expect((await handler({ url: 'app://other/index.html', method: 'GET' })).status).toBe(404);
    expect((await handler({ url: 'app://user@dfae/index.html', method: 'GET' })).status).toBe(404);
    expect((await handler({ url: '::', method: 'GET' })).status).toBe(404);
  });
});
