/** `ctrx snapshots`: placeholder until its verbs land. */
import { defineGroup } from '../group';

export default defineGroup({
  command: 'snapshots',
  aliases: ['snapshot'],
  describe: 'Manage snapshots',
  verbs: [],
});
