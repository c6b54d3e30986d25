/** `ctrx images`: placeholder until its verbs land. */
import { defineGroup } from '../group';

export default defineGroup({
  command: 'images',
  aliases: ['image', 'i'],
  describe: 'Manage images',
  verbs: [],
});
