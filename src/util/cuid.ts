/** Astro IDs are cuid v1: `c` and 24 of [0-9a-z] (astro-api.md). The JSON Schemas spell the same pattern. */
export const CUID_PATTERN = '^c[0-9a-z]{24}$';
export const CUID = new RegExp(CUID_PATTERN);
