#!/usr/bin/env node
// The installed command: the CLI compiled to plain JavaScript by `npm run build` (run by `prepare`, so
// `npm ci` in a checkout builds it too). No TypeScript loader at run time.
import { run } from '../lib/cli.js';

await run();
