/** `ctrx leases`: placeholder until its verbs land. */
import { defineGroup } from '../group';

export default defineGroup({
  command: 'leases',
  
  describe: 'Manage leases',
  verbs: [],
});
