/**
 * The pyshop target: the seed architecture with a Python 3 web tier (app.py, stdlib http.server with
 * Debian's psycopg2 and redis) that shares no code with the shop but serves its HTTP API, so the
 * built-in experiments run against it unchanged. It proves the boundary: faultline puts any app
 * that follows the environment contract (docs/targets.md) under test.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { z } from 'zod';
import {
  type AppPrerequisite,
  architectureSchema,
  cacheTtlSchema,
  composeArchitecture,
  defineTarget,
} from '../../harness/index.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const PYTHON = '/usr/bin/python3'; // Debian's, where python3-psycopg2 and python3-redis install
const run = promisify(execFile);

/** A Python module Debian packages, present when Debian's interpreter imports it. */
const module = (name: string, debianPackage: string): AppPrerequisite => ({
  name: `python3 ${name}`,
  debianPackage,
  present: () =>
    run(PYTHON, ['-c', `import ${name}`], { timeout: 10_000 }).then(
      () => true,
      () => false,
    ),
});

const options = architectureSchema
  .extend({
    // Accepted so experiments written for the shop run here; pyshop implements no mitigation or guard.
    mitigation: z
      .literal('none', { message: 'pyshop implements no read-your-writes mitigation: only "none"' })
      .default('none'),
    cacheTtl: cacheTtlSchema,
    stampedeGuard: z
      .literal('none', { message: 'pyshop guards against no cache stampede: only "none"' })
      .default('none'),
  })
  .strict();

export default defineTarget({
  name: 'pyshop',
  description:
    'the shop’s HTTP API in Python 3 (no shared code): proves any app on the contract runs under faultline',
  options,
  compose: (o) =>
    composeArchitecture('pyshop', o as z.output<typeof architectureSchema>, {
      label: 'pyshop (python3 app.py)',
      local: async () => ({
        command: [PYTHON, 'app.py'],
        cwd: HERE,
        env: { CACHE_TTL_SECONDS: String(o.cacheTtl) },
        // The modules' packages bring Debian's python3 itself where it is missing.
        prerequisites: [module('psycopg2', 'python3-psycopg2'), module('redis', 'python3-redis')],
      }),
      docker: async () => ({
        image: 'faultline/pyshop:dev',
        env: { CACHE_TTL_SECONDS: String(o.cacheTtl) },
        build: { context: HERE },
      }),
      healthPath: '/healthz',
      staticPrefix: '/static/',
      staticDir: `${HERE}static`,
      startTimeoutMs: 30_000,
      schema: { source: 'targets/pyshop/schema.sql', sql: readFileSync(`${HERE}schema.sql`, 'utf8') },
    }),
});
