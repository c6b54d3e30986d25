/** `ctrx content prune references`: drop layer gc references from content labels, then trigger a garbage collection. */
import type { CommandModule } from 'yargs';
import { defineGroup } from '../group';
import { GlobalArgs, withClient } from '../context';
import { GC_EXPIRE_LABEL, expiryLabel, randomLeaseID } from '../../internal/leases/temp-lease';

const CONTENT_PREFIX = 'containerd.io/gc.ref.content.';
const LAYER_PREFIX = 'containerd.io/gc.ref.content.l.';

/** Layer references: the l.<n> keys and the legacy numbered keys other than 0. */
export function isLayerLabel(key: string): boolean {
  if (key.startsWith(LAYER_PREFIX)) return true;
  if (!key.startsWith(CONTENT_PREFIX)) return false;
  const rest = key.slice(CONTENT_PREFIX.length);
  return /^[0-9]*$/.test(rest) && rest !== '0';
}

type Args = GlobalArgs & { async: boolean; dry: boolean };

const references: CommandModule<GlobalArgs, Args> = {
  command: 'references',
  describe: 'Prunes preference labels from the content store (layers only by default)',
  builder: (y) =>
    y
      .option('async', { type: 'boolean', default: false, describe: 'Allow garbage collection to cleanup asynchronously' })
      .option('dry', { type: 'boolean', default: false, describe: 'Just show updates without applying' }),
  handler: async (argv) => {
    await withClient(argv, async (c) => {
      const SVC = 'containerd.services.content.v1.Content' as const;
      const infos = [];
      for await (const m of c.serverStream(SVC, 'List', { filters: [] })) infos.push(...m.info);
      for (const info of infos) {
        const keys = Object.keys(info.labels).filter(isLayerLabel);
        if (!keys.length) continue;
        if (argv.dry) {
          for (const k of keys) process.stderr.write(`would remove label ${k} from ${info.digest}\n`);
          continue;
        }
        const labels = { ...info.labels };
        for (const k of keys) delete labels[k];
        await c.unary(SVC, 'Update', { info: { digest: info.digest, labels }, update_mask: { paths: keys.map((k) => `labels.${k}`) } });
      }
      // Creating and deleting a lease is how ctr asks for a collection.
      const id = randomLeaseID();
      await c.unary('containerd.services.leases.v1.Leases', 'Create', { id, labels: { [GC_EXPIRE_LABEL]: expiryLabel(3600_000) } });
      await c.unary('containerd.services.leases.v1.Leases', 'Delete', { id, sync: !argv.async });
    });
  },
};

export default defineGroup({
  command: 'prune',
  describe: 'Prunes content from the content store',
  verbs: [references],
});
