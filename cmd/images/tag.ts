/**
 * `ctrx images tag SRC TARGET...`: a new image record per target pointing at
 * the source's target, under a temporary lease (ctr's client path; --local
 * is accepted for ctr 2.x compatibility and changes nothing).
 */
import type { CommandModule } from 'yargs';
import { GlobalArgs, out, withClient } from '../context';
import { UsageError, isAlreadyExists } from '../../internal/errdefs';
import { withTempLease } from '../../internal/leases/temp-lease';
import { getImage } from '../../internal/images/image';
import { normalizeRef } from '../../internal/images/reference';

type Args = GlobalArgs & { source?: string; targets?: string[]; force: boolean; local: boolean; 'skip-reference-check': boolean };

const command: CommandModule<GlobalArgs, Args> = {
  command: 'tag [source] [targets..]',
  describe: 'Tag an image',
  builder: (y) =>
    y
      .positional('source', { type: 'string', describe: '<source_ref>' })
      .positional('targets', { type: 'string', array: true, describe: '<target_ref> [<target_ref>, ...]' })
      .option('force', { type: 'boolean', default: false, describe: 'Force target_ref to be created, regardless if it already exists' })
      .option('local', { type: 'boolean', default: false, describe: 'Run tag locally rather than through transfer API (always local in ctrx)' })
      .option('skip-reference-check', { type: 'boolean', default: false, describe: 'Skip the strict check for reference names' }),
  handler: async (argv) => {
    if (!argv.source) throw new UsageError('please provide an image reference to tag from');
    const targets = argv.targets ?? [];
    if (!targets.length) throw new UsageError('please provide an image reference to tag to');
    if (!argv['skip-reference-check']) for (const t of targets) normalizeRef(t);
    await withClient(argv, (c) =>
      withTempLease(c, async () => {
        const IMAGES = 'containerd.services.images.v1.Images' as const;
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
      }),
    );
  },
};
export default command;
