#!/usr/bin/env node
import { resolve } from 'node:path';
// Runs a TypeScript file (first argument) through tsx's loader; used by npm scripts.
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const file = process.argv[2];
if (!file) {
  console.error('usage: run-ts FILE [ARGS…]');
  process.exit(2);
}
process.argv.splice(1, 1);
await import(pathToFileURL(resolve(file)).href);
