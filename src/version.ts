import pkg from '../package.json' with { type: 'json' };

/** The package version, sent in the User-Agent (`astro-access/<version>`). */
export const VERSION: string = pkg.version;
export const USER_AGENT = `astro-access/${VERSION}`;
