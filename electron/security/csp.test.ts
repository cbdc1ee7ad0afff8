import { describe, expect, it } from 'vitest';
import { CSP_NONCE_PLACEHOLDER, buildContentSecurityPolicy, injectCspNonce, newCspNonce, parseContentSecurityPolicy, securityHeaders } from './csp';

const NONCE = 'AAECAwQFBgcICQoLDA0ODxAR';

describe('buildContentSecurityPolicy', () => {
  const csp = parseContentSecurityPolicy(buildContentSecurityPolicy({ nonce: NONCE }));

  it('allows only our own scripts, never eval or inline script', () => {
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('script-src-attr')).toEqual(["'none'"]);
    for (const sources of csp.values()) {
      expect(sources).not.toContain("'unsafe-eval'");
      expect(sources).not.toContain("'unsafe-inline'");
      expect(sources).not.toContain('*');
    }
  });

  it("lets ag-grid's theme <style> elements in by nonce, not by 'unsafe-inline'", () => {
    expect(csp.get('style-src')).toEqual(["'self'", `'nonce-${NONCE}'`]);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:']);
  });

  it('closes objects, frames, framing, base and forms', () => {
    for (const d of ['object-src', 'frame-src', 'frame-ancestors', 'base-uri', 'form-action', 'media-src']) expect(csp.get(d), d).toEqual(["'none'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
  });

  it('adds explicit connect-src origins and refuses wildcards, keywords and separators', () => {
    const dev = parseContentSecurityPolicy(buildContentSecurityPolicy({ nonce: NONCE, connectSrc: ['ws://127.0.0.1:5173'] }));
    expect(dev.get('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:5173']);
    for (const bad of ['*', 'https:', "'unsafe-inline'", 'https://a.example; script-src *', 'https://*.example.com', 'data:']) {
      expect(() => buildContentSecurityPolicy({ nonce: NONCE, connectSrc: [bad] }), bad).toThrow(/connectSrc entry/);
    }
  });

  it('refuses a short or malformed nonce', () => {
    for (const bad of ['', 'abc', "x' 'unsafe-inline", `${NONCE};`]) expect(() => buildContentSecurityPolicy({ nonce: bad })).toThrow(/nonce/);
  });
});

describe('nonces', () => {
  it('are fresh base64 of 18 bytes', () => {
    const a = newCspNonce();
    expect(a).toMatch(/^[A-Za-z0-9+/]{24}$/);
    expect(newCspNonce()).not.toBe(a);
    expect(newCspNonce((n) => new Uint8Array(n).fill(1))).toBe('AQEBAQEBAQEBAQEBAQEBAQEB');
  });

  it("replace every placeholder Vite left in index.html", () => {
    const html = `<meta property="csp-nonce" nonce="${CSP_NONCE_PLACEHOLDER}"><script type="module" nonce="${CSP_NONCE_PLACEHOLDER}" src="/assets/i.js"></script>`;
    const out = injectCspNonce(html, NONCE);
    expect(out).not.toContain(CSP_NONCE_PLACEHOLDER);
    expect(out.split(NONCE)).toHaveLength(3);
  });
});

describe('securityHeaders', () => {
  it('adds nosniff, no-referrer and anti-framing headers to the CSP', () => {
    const h = securityHeaders("default-src 'self'");
    expect(h).toMatchObject({ 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY' });
  });
});
