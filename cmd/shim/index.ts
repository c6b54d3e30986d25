/** `ctrx shim`: placeholder until its verbs land. */
import { defineGroup } from '../group';

export default defineGroup({
  command: 'shim',
  
  describe: 'Interact with a shim directly',
  verbs: [],
});
