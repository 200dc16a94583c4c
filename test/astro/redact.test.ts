import { describe, expect, it } from 'vitest';
import { redact } from '../../src/astro/redact.ts';

describe('redact', () => {
  it('masks every occurrence of a real-length token', () => {
    const token = 'eyJhbGciOi.secret-part.sig';
    expect(redact(`Bearer ${token} and again ${token}`, token)).toBe('Bearer *** and again ***');
  });

  it('leaves text alone for a very short value, which would only garble IDs', () => {
    expect(redact('GET /organizations/clx42kkcm01fo01o06agtmshg/roles', 'x')).toBe(
      'GET /organizations/clx42kkcm01fo01o06agtmshg/roles',
    );
  });
});
