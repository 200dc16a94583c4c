/** `1 token`, `3 tokens`: the count and the noun in the form the count needs. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
