#!/usr/bin/env node
// The installed command: the CLI compiled to plain JavaScript by `npm run build` (run by `prepare`, so
// `npm ci` in a checkout builds it too). No TypeScript loader at run time.
let cli;
try {
  cli = await import('../lib/cli.js');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('lib/cli.js')) throw err;
  process.stderr.write('error: the compiled CLI (lib/cli.js) is missing: run `npm run build` in this checkout\n');
  process.exit(1);
}
await cli.run();
