import { describe, expect, it } from 'vitest';
import { tokenIdFromJwt } from '../../src/astro/jwt.ts';

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
const jwt = (payload: unknown): string => `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(payload)}.c2lnbmF0dXJl`;

describe('tokenIdFromJwt', () => {
  it('reads the apiTokenId claim without verifying', () => {
    expect(tokenIdFromJwt(jwt({ apiTokenId: 'clz9k2w1q000108mh3tq4a7vd', sub: 'x' }))).toEqual({ id: 'clz9k2w1q000108mh3tq4a7vd' });
  });

  it('warns, without quoting the token, when it is not a JWT', () => {
    const secret = 'plain-secret-token-value';
    const r = tokenIdFromJwt(secret);
    expect(r.id).toBeNull();
    expect(r.warning).toMatch(/not a JWT/);
    expect(r.warning).not.toContain(secret);
  });

  it('warns when the payload is not JSON or has no apiTokenId claim, without quoting any of it', () => {
    const noClaim = jwt({ sub: 'someone-secret' });
    const garbage = 'aaa.!!!notbase64json.bbb';
    for (const t of [noClaim, garbage, jwt({ apiTokenId: 42 }), jwt(null)]) {
      const r = tokenIdFromJwt(t);
      expect(r.id).toBeNull();
      expect(r.warning).toBeDefined();
      for (const part of t.split('.')) expect(r.warning).not.toContain(part);
      expect(r.warning).not.toContain('someone-secret');
    }
  });
});
