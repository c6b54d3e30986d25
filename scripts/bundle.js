#!/usr/bin/env node
'use strict';
// Bundles cmd/main.ts and its dependencies into dist/ctrx.js with esbuild: one
// file to load instead of hundreds of modules, which is most of ctrx's start-up
// time. bin/ctrx loads it through a V8 code cache (see there).
const path = require('path');
const { execSync } = require('child_process');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..');
// CTRX_DIST lets several work trees' builds coexist (default: dist/).
const outDir = path.resolve(root, process.env.CTRX_DIST || 'dist');
let revision = '';
try {
  revision = execSync('git rev-parse --short HEAD', { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
} catch {
  // Not a git checkout: the revision stays empty, as in ctr builds without one.
}

esbuild.buildSync({
  entryPoints: [path.join(root, 'cmd', 'main.ts')],
  outfile: path.join(outDir, 'ctrx.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  legalComments: 'none',
  define: { CTRX_REVISION: JSON.stringify(revision) },
  logLevel: 'warning',
});
// A cache made for an older bundle would be rejected anyway; drop it now.
require('fs').rmSync(path.join(outDir, 'ctrx.js.cache'), { force: true });
console.log(`bundle: ${path.relative(root, path.join(outDir, 'ctrx.js'))}`);
