/** `ctrx oci`: OCI tools. */
import { defineGroup } from '../group';
import spec from './spec';

export default defineGroup({
  command: 'oci',
  describe: 'OCI tools',
  verbs: [spec],
});
