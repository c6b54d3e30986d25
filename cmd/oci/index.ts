/** `ctrx oci`: placeholder until its verbs land. */
import { defineGroup } from '../group';

export default defineGroup({
  command: 'oci',
  
  describe: 'OCI tools',
  verbs: [],
});
