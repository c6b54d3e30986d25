/** `ctrx tasks`: placeholder until its verbs land. */
import { defineGroup } from '../group';

export default defineGroup({
  command: 'tasks',
  aliases: ['t', 'task'],
  describe: 'Manage tasks',
  verbs: [],
});
