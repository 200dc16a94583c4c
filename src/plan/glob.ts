// `ignore` / `protect` globs: `*` any run of characters, `?` exactly one, on the whole token name.
// A two-pointer match with one backtrack point: linear in practice, O(n·m) at worst, never exponential
// the way a backtracking regular expression is on `*a*a*a*…b`.

/** True when `name` matches `glob` as a whole (characters are Unicode code points). */
export function globMatch(glob: string, name: string): boolean {
  const p = Array.from(glob);
  const s = Array.from(name);
  let i = 0; // in s
  let j = 0; // in p
  let star = -1; // index in p of the last `*` seen
  let mark = 0; // index in s where that `*` started matching
  while (i < s.length) {
    if (j < p.length && (p[j] === '?' || (p[j] !== '*' && p[j] === s[i]))) {
      i++;
      j++;
    } else if (j < p.length && p[j] === '*') {
      star = j++;
      mark = i;
    } else if (star >= 0) {
      j = star + 1;
      i = ++mark;
    } else {
      return false;
    }
  }
  while (j < p.length && p[j] === '*') j++;
  return j === p.length;
}
