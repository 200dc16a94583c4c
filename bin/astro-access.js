#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx's loader, so a checkout works after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../src/cli.ts');
await run();
