import { describe, expect, it } from 'vitest';
import { crossOriginRefused, normaliseOrigin, type OriginFacts } from './same-origin.js';

const base: OriginFacts = { method: 'POST', cookieAuthenticated: true, origin: undefined, secFetchSite: undefined, selfOrigin: 'http://127.0.0.1:8080' };

describe('same-origin rule for cookie-authenticated unsafe requests', () => {
  it('origins compare without default ports and case', () => {
    expect(normaliseOrigin('HTTP://LocalHost:80')).toBe('http://localhost');
    expect(normaliseOrigin('https://a.example:443')).toBe('https://a.example');
    expect(normaliseOrigin('null')).toBeUndefined();
  });

  it('Sec-Fetch-Site decides when present: same-origin and none pass, same-site (another port) does not', () => {
    expect(crossOriginRefused({ ...base, secFetchSite: 'same-origin' })).toBe(false);
    expect(crossOriginRefused({ ...base, secFetchSite: 'none' })).toBe(false);
    expect(crossOriginRefused({ ...base, secFetchSite: 'same-site', origin: 'http://127.0.0.1:8080' })).toBe(true);
    expect(crossOriginRefused({ ...base, secFetchSite: 'cross-site' })).toBe(true);
  });

  it('else Origin must be this origin; neither header passes (not a browser page)', () => {
    expect(crossOriginRefused({ ...base, origin: 'http://127.0.0.1:8080' })).toBe(false);
    expect(crossOriginRefused({ ...base, origin: 'http://127.0.0.1:3000' })).toBe(true);
    expect(crossOriginRefused({ ...base, origin: 'null' })).toBe(true);
    expect(crossOriginRefused(base)).toBe(false);
  });

  it('safe methods and requests not riding the cookie are never refused', () => {
    expect(crossOriginRefused({ ...base, method: 'GET', origin: 'http://evil.example' })).toBe(false);
    expect(crossOriginRefused({ ...base, cookieAuthenticated: false, origin: 'http://evil.example' })).toBe(false);
  });
});
