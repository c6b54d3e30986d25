/** The arguments every snapshots verb sees. */
import type { GlobalArgs } from '../context';

export type SnapshotArgs = GlobalArgs & { snapshotter?: string };
