import { createRequire } from 'node:module';

const pkg = createRequire(import.meta.url)('../package.json') as { version: string };

/** The package version, for --version and the User-Agent. */
export const VERSION: string = pkg.version;
