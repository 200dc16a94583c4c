/**
 * The key a user's email (their username) is compared by: ASCII letters folded to lower case, nothing
 * else. JavaScript's toLowerCase also folds some other letters onto ASCII ones (the Kelvin sign K
 * becomes "k"), which would let `kate@example.com` name a different account whose username merely looks
 * like it. Comparing emails is the one place case does not matter, and only ASCII case.
 */
export function emailKey(email: string): string {
  return email.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}
