/** `ctrx leases`: containerd's Leases service. */
import { defineGroup } from '../group';
import create from './create';
import list from './list';
import remove from './delete';

export default defineGroup({
  command: 'leases',
  describe: 'Manage leases',
  verbs: [list, create, remove],
});
