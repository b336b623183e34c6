#!/usr/bin/env node
// faultline is written in TypeScript and runs from source through tsx, so no build step can go stale.
// `npm ci` installs the project's own Node 24 into node_modules/.bin, which npm scripts and npx put
// first on PATH; a bare `node bin/faultline.js` may find an older system Node: say so in one line.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 22)) {
  console.error(
    `faultline: Node ${process.versions.node} is too old (needs 22.22 or newer; 24 LTS is the reference): ` +
      'run it as `npx faultline ...` or through `npm run`, which use the Node 24 that `npm ci` installed, or install Node 24',
  );
  process.exit(2);
}
const { register } = await import('tsx/esm/api');
register();
await import('../harness/cli/main.ts');
