#!/usr/bin/env node
// The `airlock` command: runs bin/airlock.ts through tsx in this very process, so signals
// (SIGINT/SIGTERM) reach the command itself and it can stop its nodes gracefully.
import { register } from 'tsx/esm/api';

register();
await import('./airlock.ts');
