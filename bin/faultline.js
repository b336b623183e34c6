#!/usr/bin/env node
// faultline is written in TypeScript and runs from source through tsx, so no build step can go stale.
import { register } from 'tsx/esm/api';

register();
await import('../harness/cli/main.ts');
