import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, isAppUrl, originOf } from './appOrigin';
import { decideNavigation, decideWindowOpen, describeUrl, validateExternalUrl } from './navigation';

describe('app origin', () => {
  it('computes the origin of our custom scheme (Node says "null" for it)', () => {
    expect(new URL('app://dfae/index.html').origin).toBe('null');
    expect(originOf(new URL('app://dfae/index.html'))).toBe(APP_ORIGIN);
    expect(originOf(new URL('file:///etc/passwd'))).toBeUndefined();
  });
});

describe('decideNavigation', () => {
  it.each(['app://dfae/index.html', 'app://dfae/', 'app://DFAE/flights#x', 'app://dfae/a/../b'])('allows our own page %s', (url) => {
    expect(decideNavigation(url)).toEqual({ allow: true });
  });

  it.each([
    'https://example.com/',
    'http://127.0.0.1:5173/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'app://evil/index.html',
    'app://dfae.evil.com/',
    'app://dfae:8080/',
    'app://user:pw@dfae/',
    'about:blank',
    'chrome://settings',
    '',
    'not a url',
  ])('denies %j', (url) => {
    const d = decideNavigation(url);
    expect(d.allow).toBe(false);
  });

  it('allows nothing but our origin, whatever the URL (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.webUrl(), fc.string(), fc.constantFrom('app://dfae', 'app://dfae/x', 'app:dfae', 'app:/dfae')), (url) => {
        const d = decideNavigation(url);
        if (d.allow) expect(originOf(new URL(url))).toBe(APP_ORIGIN);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe('validateExternalUrl', () => {
  it('accepts plain https links and normalises them', () => {
    expect(validateExternalUrl('https://www.iata.org/en/publications/manuals/ssim/')).toEqual({ ok: true, url: 'https://www.iata.org/en/publications/manuals/ssim/' });
    expect(validateExternalUrl('HTTPS://Example.COM')).toEqual({ ok: true, url: 'https://example.com/' });
  });

  it.each([
    ['http://example.com/', /https only/],
    ['file:///C:/Windows/System32/calc.exe', /https only/],
    ['javascript:alert(1)', /https only/],
    ['data:text/html,hi', /https only/],
    ['smb://host/share', /https only/],
    ['ms-msdt:/id PCWDiagnostic', /whitespace/],
    ['https://user:pass@example.com/', /credentials/],
    [' https://example.com/', /whitespace/],
    ['https://example.com/\n', /whitespace/],
    ['https://exa\u0000mple.com/', /control/],
    [`https://example.com/${'a'.repeat(2100)}`, /2048/],
    ['https://', /not a valid URL/],
  ])('refuses %j', (url, reason) => {
    const r = validateExternalUrl(url);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('refuses non-strings', () => {
    expect(validateExternalUrl(undefined).ok).toBe(false);
    expect(validateExternalUrl({ href: 'https://x' }).ok).toBe(false);
  });

  it('honours an allow-list of hosts', () => {
    expect(validateExternalUrl('https://docs.example.com/x', { allowHosts: ['docs.example.com'] }).ok).toBe(true);
    expect(validateExternalUrl('https://evil.example.com/x', { allowHosts: ['docs.example.com'] }).ok).toBe(false);
  });

  it('never approves anything but https (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.webUrl(), fc.string({ maxLength: 80 }), fc.constantFrom('file:', 'javascript:', 'vbscript:', 'data:', 'ftp:', 'http:').map((s) => `${s}//x/y`)), (url) => {
        const r = validateExternalUrl(url);
        if (r.ok) expect(new URL(r.url).protocol).toBe('https:');
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});

describe('decideWindowOpen', () => {
  it('never opens a window; hands valid https links to the system browser', () => {
    expect(decideWindowOpen('https://example.com/doc')).toEqual({ action: 'deny', openExternally: 'https://example.com/doc', reason: 'opened in the system browser' });
    expect(decideWindowOpen('app://dfae/other')).toMatchObject({ action: 'deny' });
    expect(decideWindowOpen('app://dfae/other')).not.toHaveProperty('openExternally');
    expect(decideWindowOpen('file:///etc/passwd')).not.toHaveProperty('openExternally');
    expect(decideWindowOpen('javascript:alert(1)')).not.toHaveProperty('openExternally');
  });
});

describe('describeUrl', () => {
  it('drops query strings (tokens) from log lines', () => {
    expect(describeUrl('https://example.com/cb?token=abc&code=xyz')).toBe('https://example.com/cb');
    expect(isAppUrl('app://dfae/?token=1')).toBe(true);
  });
});
