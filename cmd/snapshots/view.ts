/** `ctrx snapshots view KEY [PARENT]`: a read-only snapshot. */
import { createCommand } from './create-common';

export default createCommand('view', 'Create a read-only snapshot from a committed snapshot');
