/** `ctrx containers`: placeholder until its verbs land. */
import { defineGroup } from '../group';

export default defineGroup({
  command: 'containers',
  aliases: ['c', 'container'],
  describe: 'Manage containers',
  verbs: [],
});
