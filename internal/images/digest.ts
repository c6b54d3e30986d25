/** Digests as go-digest parses them, so bad input fails the way ctr's does. */
import { createHash } from 'crypto';

const LENGTHS: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/** Validate "<alg>:<hex>" (go-digest's Parse), returning it unchanged. */
export function parseDigest(s: string): string {
  const i = s.indexOf(':');
  if (i < 0 || i === s.length - 1) throw new Error(`invalid checksum digest format: ${JSON.stringify(s)}`);
  const alg = s.slice(0, i);
  const hex = s.slice(i + 1);
  const want = LENGTHS[alg];
  if (!want) throw new Error(`unsupported digest algorithm: ${JSON.stringify(s)}`);
  if (hex.length !== want) throw new Error(`invalid checksum digest length: ${JSON.stringify(s)}`);
  if (!/^[a-f0-9]+$/.test(hex)) throw new Error(`invalid checksum digest format: ${JSON.stringify(s)}`);
  return s;
}

/** sha256 digest of a buffer. */
export function digestOf(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}
