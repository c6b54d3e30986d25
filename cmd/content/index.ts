/** `ctrx content`: placeholder until its verbs land. */
import { defineGroup } from '../group';

export default defineGroup({
  command: 'content',
  
  describe: 'Manage content',
  verbs: [],
});
