/** `ctrx snapshots` (snapshot): containerd's Snapshots service; --snapshotter on the group or any verb. */
import { defineGroup } from '../group';
import { snapshotterFlag } from '../../internal/snapshotter';
import commit from './commit';
import diff from './diff';
import info from './info';
import list from './list';
import mounts from './mounts';
import prepare from './prepare';
import remove from './delete';
import label from './label';
import tree from './tree';
import unpack from './unpack';
import usage from './usage';
import view from './view';

export default defineGroup({
  command: 'snapshots',
  aliases: ['snapshot'],
  describe: 'Manage snapshots',
  // ctr has the flag on the group (`ctr snapshots --snapshotter native ls`); global
  // here so that it is accepted after the verb too.
  flags: (y) => y.option('snapshotter', { ...snapshotterFlag, global: true }),
  verbs: [commit, diff, info, list, mounts, prepare, remove, label, tree, unpack, usage, view],
});
