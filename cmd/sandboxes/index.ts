/** `ctrx sandboxes`: placeholder until its verbs land. */
import { defineGroup } from '../group';

export default defineGroup({
  command: 'sandboxes',
  aliases: ['sandbox', 'sb', 's'],
  describe: 'Manage sandboxes',
  verbs: [],
});
