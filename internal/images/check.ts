/** ctr's images check for one image: images.Check (content present?) and IsUnpacked. */
import type { Client } from '../client/client';
import { infoIfExists } from '../content/store';
import { bytes } from '../progress/units';
import { isUnpacked } from '../unpack/unpack';
import { ApiImage, isMissing, resolveManifest } from './image';

export interface CheckResult {
  /** "complete (P/R)", "incomplete (P/R)", "unavailable (P/?)" or "error". */
  status: string;
  /** "present/required", "present/?" or "-". */
  size: string;
  /** All content present (ctr's -q prints only complete and unpacked images). */
  complete: boolean;
  unpacked: boolean;
  errors: Error[];
}

/** Check an image's content for the host platform and whether its snapshot chain exists. */
export async function checkImage(client: Client, img: ApiImage, snapshotter?: string): Promise<CheckResult> {
  const errors: Error[] = [];
  let status = 'complete';
  let size = '-';
  let complete = true;
  try {
    let required: { digest: string; size: number }[] | undefined;
    try {
      const r = await resolveManifest(client, img);
      required = [r.manifest.config, ...(r.manifest.layers ?? [])];
    } catch (err) {
      if (!isMissing(err)) throw err;
    }
    if (!required) {
      status = 'unavailable (0/?)';
      size = `${bytes(0)}/?`;
      complete = false;
    } else {
      let present = 0;
      let presentSize = 0;
      let requiredSize = 0;
      for (const d of required) {
        requiredSize += d.size;
        if (await infoIfExists(client, d.digest)) {
          present++;
          presentSize += d.size;
        }
      }
      if (present < required.length) {
        status = 'incomplete';
        complete = false;
      }
      status += ` (${present}/${required.length})`;
      size = `${bytes(presentSize)}/${bytes(requiredSize)}`;
    }
  } catch (err) {
    errors.push(new Error(`unable to check ${img.name}: ${(err as Error).message}`));
    status = 'error';
    complete = false;
  }
  let unpacked = false;
  try {
    unpacked = await isUnpacked(client, img, snapshotter);
  } catch (err) {
    errors.push(new Error(`unable to check unpack for ${img.name}: ${(err as Error).message}`));
  }
  return { status, size, complete, unpacked, errors };
}
