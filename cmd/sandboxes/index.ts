/** `ctrx sandboxes` (sandbox, sb, s): containerd's sandbox Store and Controller services (containerd 1.7+). */
import { defineGroup } from '../group';
import run from './run';
import list from './list';
import remove from './remove';
import info from './info';

export default defineGroup({
  command: 'sandboxes',
  aliases: ['sandbox', 'sb', 's'],
  describe: 'Manage sandboxes',
  verbs: [run, list, remove, info],
});
