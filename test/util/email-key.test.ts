import { describe, expect, it } from 'vitest';
import { emailKey } from '../../src/util/email-key.ts';

describe('emailKey', () => {
  it('folds ASCII letters to lower case and leaves everything else as it is', () => {
    expect(emailKey('Alice.Smith+OPS@Example.COM')).toBe('alice.smith+ops@example.com');
    // Letters JavaScript would lower onto ASCII ones stay themselves: another account, not a case variant.
    expect(emailKey('\u212Aate@example.com')).toBe('\u212Aate@example.com');
    expect(emailKey('\u0130nci@example.com')).toBe('\u0130nci@example.com');
    expect(emailKey('ÉLODIE@EXAMPLE.COM')).toBe('Élodie@example.com');
    expect(emailKey('ＡＢＣ＠example.com')).toBe('ＡＢＣ＠example.com');
  });
});
