/**
 * libcni's result cache, kept in its format so that ctr and ctrx can remove
 * each other's attachments with the ADD result as DEL's prevResult:
 * <cacheDir>/results/<network>-<containerID>-<ifname>, a JSON record with the
 * list config (base64) and the result.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { NetworkList } from './config';
import type { CniResult } from './result';

/** Which attachment a cache entry is for. */
export interface CacheKey {
  cacheDir: string;
  network: string;
  containerId: string;
  ifName: string;
}

/** The cache file of one attachment. */
export function cacheFile(k: CacheKey): string {
  return path.join(k.cacheDir, 'results', `${k.network}-${k.containerId}-${k.ifName}`);
}

/** Record an ADD's result (private to root, as libcni keeps it). */
export function writeCachedResult(k: CacheKey, net: NetworkList, netns: string, result: CniResult): void {
  const file = cacheFile(k);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const entry = {
    kind: 'cniCacheV1',
    containerId: k.containerId,
    config: net.bytes.toString('base64'),
    ifName: k.ifName,
    networkName: k.network,
    ...(netns ? { netns } : {}),
    result,
  };
  fs.writeFileSync(file, JSON.stringify(entry), { mode: 0o600 });
}

/** The cached ADD result, if there is one. */
export function readCachedResult(k: CacheKey): CniResult | undefined {
  let raw: string;
  try {
    raw = fs.readFileSync(cacheFile(k), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`failed to get network ${JSON.stringify(k.network)} cached result: ${(err as Error).message}`);
  }
  try {
    const entry = JSON.parse(raw) as { result?: CniResult };
    return entry.result ?? undefined;
  } catch (err) {
    throw new Error(`failed to get network ${JSON.stringify(k.network)} cached result: ${cacheFile(k)}: ${(err as Error).message}`);
  }
}

/** Forget the attachment after its DEL. */
export function removeCachedResult(k: CacheKey): void {
  fs.rmSync(cacheFile(k), { force: true });
}
