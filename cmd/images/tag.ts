/**
 * `ctrx images tag SRC TARGET...`: a new image record per target pointing at
 * the source's target, under a temporary lease. containerd 2.x: through the
 * Transfer service (ImageStore → ImageStore), as ctr 2.x does; 1.x or
 * --local: Images.Create here. On both paths an existing target is replaced
 * only with --force (the daemon itself would replace it silently).
 */
import type { CommandModule } from 'yargs';
import { GlobalArgs, out, withClient } from '../context';
import { UsageError, isAlreadyExists, isNotFound } from '../../internal/errdefs';
import { useTransfer } from '../../internal/registry-flags';
import { withTempLease } from '../../internal/leases/temp-lease';
import { getImage } from '../../internal/images/image';
import { normalizeRef } from '../../internal/images/reference';

type Args = GlobalArgs & { source?: string; targets?: string[]; force: boolean; local: boolean; transfer: boolean; 'skip-reference-check': boolean };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'tag [source] [targets..]',
  describe: 'Tag an image',
  builder: (y) =>
    y
      .positional('source', { type: 'string', describe: '<source_ref>' })
      .positional('targets', { type: 'string', array: true, describe: '<target_ref> [<target_ref>, ...]' })
      .option('force', { type: 'boolean', default: false, describe: 'Force target_ref to be created, regardless if it already exists' })
      .option('local', { type: 'boolean', default: false, describe: 'Run tag locally rather than through transfer API (always local on containerd 1.x)' })
      .option('transfer', { type: 'boolean', default: false, describe: 'Tag through the Transfer service of containerd 1.7+ (the 2.x default)' })
      .option('skip-reference-check', { type: 'boolean', default: false, describe: 'Skip the strict check for reference names' }),
  handler: async (argv) => {
    if (!argv.source) throw new UsageError('please provide an image reference to tag from');
    const targets = argv.targets ?? [];
    if (!targets.length) throw new UsageError('please provide an image reference to tag to');
    if (!argv['skip-reference-check']) for (const t of targets) normalizeRef(t);
    await withClient(argv, async (c) => {
      const IMAGES = 'containerd.services.images.v1.Images' as const;
      if (await useTransfer(c, argv, [])) {
        const { transferTag } = await import('../../internal/transfer/archive');
        await getImage(c, argv.source!);
        for (const name of targets) {
          if (!argv.force && (await c.unary(IMAGES, 'Get', { name }).then(() => true, (e) => (isNotFound(e) ? false : Promise.reject(e))))) {
            throw new Error(`image "${name}": already exists`);
          }
          await transferTag(c, argv.source!, name);
          out(`${name}\n`);
        }
        return;
      }
      await withTempLease(c, async () => {
        const src = await getImage(c, argv.source!);
        for (const name of targets) {
          const image = { name, labels: src.labels, target: src.target };
          try {
            await c.unary(IMAGES, 'Create', { image });
          } catch (err) {
            if (!isAlreadyExists(err) || !argv.force) throw err;
            await c.unary(IMAGES, 'Delete', { name });
            await c.unary(IMAGES, 'Create', { image });
          }
          out(`${name}\n`);
        }
      });
    });
  },
};
export default command;
