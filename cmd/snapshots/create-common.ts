/** prepare and view: the same arguments and output, a different RPC. */
import type { CommandModule } from 'yargs';
import { labelArgs, out, withClient } from '../context';
import type { SnapshotArgs } from './args';
import { UsageError, wrap } from '../../internal/errdefs';
import { GC_ROOT_LABEL, SNAPSHOTS, daemonStyle, gcRootNow, mountLines, mountsAsGoJSON, snapshotterOf } from '../../internal/snapshots/snapshots';

type Args = SnapshotArgs & { key?: string; parent?: string; target?: string; mounts: boolean; label?: string[] };

/** A `prepare` or `view` command: Snapshots.Prepare/View with ctr's gc.root label, printing mounts on request. */
export function createCommand(verb: 'prepare' | 'view', describe: string): CommandModule<SnapshotArgs, Args> {
  return {
    command: `${verb} [key] [parent]`,
    describe,
    builder: (y) =>
      y
        .positional('key', { type: 'string' })
        .positional('parent', { type: 'string' })
        .option('target', { alias: 't', type: 'string', describe: 'Mount target path, will print mount, if provided' })
        .option('mounts', { type: 'boolean', default: false, describe: 'Print out snapshot mounts as JSON' })
        .option('label', { type: 'string', array: true, describe: 'Extra labels for the snapshot (k=v)' }),
    handler: async (argv) => {
      if (!argv.key) throw new UsageError('snapshot key must be provided');
      await withClient(argv, async (c) => {
        const snapshotter = await snapshotterOf(c, argv);
        // ctr marks prepared snapshots as GC roots; ctrx marks views too, which
        // ctr leaves for the collector to take at any moment.
        const labels = { [GC_ROOT_LABEL]: gcRootNow(), ...labelArgs(argv.label) };
        const method = verb === 'prepare' ? 'Prepare' : 'View';
        const res = await c.unary(SNAPSHOTS, method, { snapshotter, key: argv.key, parent: argv.parent ?? '', labels }).catch((e) => {
          throw wrap(e, `${verb} snapshot ${JSON.stringify(argv.key)}`);
        });
        if (!argv.target && !argv.mounts) return;
        const style = await daemonStyle(c);
        if (argv.target) out(mountLines(argv.target, res.mounts, style));
        if (argv.mounts) out(mountsAsGoJSON(res.mounts, style));
      });
    },
  };
}
