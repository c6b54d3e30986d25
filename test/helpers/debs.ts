/** The Debian packages tests need unpacked (scripts/fetch-debs.sh), fetched once per machine. */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const CACHE = process.env.CTRX_CACHE || '/var/cache/ctrx';
const PACKAGES = ['containerd', 'golang-github-containerd-containerd-api-dev', 'golang-k8s-cri-api-dev', 'golang-github-containerd-containerd-dev'];

/** Unpack the packages if they are missing; returns the cache folder. */
export function ensureDebs(): string {
  const missing = PACKAGES.some((p) => !fs.existsSync(path.join(CACHE, 'x', p, 'VERSION')));
  if (missing) {
    execFileSync('bash', [path.join(__dirname, '..', '..', 'scripts', 'fetch-debs.sh')], { stdio: 'inherit', env: { ...process.env, CTRX_CACHE: CACHE } });
  }
  return CACHE;
}
