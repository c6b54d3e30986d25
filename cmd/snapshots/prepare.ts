/** `ctrx snapshots prepare KEY [PARENT]`: an active snapshot. */
import { createCommand } from './create-common';

export default createCommand('prepare', 'Prepare a snapshot from a committed snapshot');
