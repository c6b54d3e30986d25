/**
 * Jest global setup: give the run an id (its daemons' folder) and check that
 * the binary under test is built. Daemons start on first use (test/helpers/rig.ts).
 */
import * as fs from 'fs';
import * as path from 'path';

export default async function globalSetup(): Promise<void> {
  process.env.CTRX_TEST_RUN_ID ??= String(process.pid);
  const bundle = path.join(__dirname, '..', '..', 'dist', 'ctrx.js');
  if (!fs.existsSync(bundle)) throw new Error('dist/ctrx.js is missing: run `npm run build` (scripts/test.sh does)');
}
