/**
 * What CRI's "podsandbox" controller needs on a sandbox record: its metadata
 * extension, the CRI sandbox metadata (versioned JSON holding the pod's
 * PodSandboxConfig), which the controller's Create reads and refuses to go
 * without. The pause container it starts comes from the daemon's configured
 * sandbox image (CRI images config, pinned_images.sandbox).
 */
import { AnyMessage, packJSON } from '../typeurl';
import { UsageError } from '../errdefs';

/** Key of the extension podsandbox reads its metadata from. */
export const POD_METADATA_EXTENSION = 'metadata';
/** Type URL CRI registers its sandbox metadata under (JSON payload). */
export const POD_METADATA_URL = 'github.com/containerd/cri/pkg/store/sandbox/Metadata';

// The daemon decodes the config with Go's encoding/json: enums are numbers there.
const NAMESPACE_MODES: Record<string, number> = { POD: 0, CONTAINER: 1, NODE: 2, TARGET: 3 };
const NAMESPACE_FIELDS = ['network', 'pid', 'ipc'];

/** The pod config with namespace modes given by name ("NODE") turned into the numbers Go expects. */
export function normalizePodConfig(config: unknown): Record<string, unknown> {
  if (!config || typeof config !== 'object' || Array.isArray(config)) throw new UsageError('a pod config must be a JSON object');
  const copy = JSON.parse(JSON.stringify(config)) as Record<string, any>;
  const opts = copy.linux?.security_context?.namespace_options;
  if (opts && typeof opts === 'object') {
    for (const field of NAMESPACE_FIELDS) {
      const v = opts[field];
      if (typeof v !== 'string') continue;
      const mode = NAMESPACE_MODES[v.toUpperCase()];
      if (mode === undefined) throw new UsageError(`namespace_options.${field}: unknown mode ${JSON.stringify(v)} (want POD, CONTAINER, NODE or TARGET)`);
      opts[field] = mode;
    }
  }
  return copy;
}

/** CRI's sandbox name: name_namespace_uid_attempt from the config's metadata, else the id. */
function podName(id: string, config: Record<string, any>): string {
  const m = config.metadata;
  if (!m || typeof m !== 'object') return id;
  return [m.name ?? '', m.namespace ?? '', m.uid ?? '', String(m.attempt ?? 0)].join('_');
}

/** The "metadata" extension for a podsandbox record: no network namespace (host network or a fresh one). */
export function podMetadataExtension(id: string, config: Record<string, unknown>): AnyMessage {
  return packJSON(POD_METADATA_URL, {
    Version: 'v1',
    Metadata: {
      ID: id,
      Name: podName(id, config),
      Config: config,
      NetNSPath: '',
      IP: '',
      AdditionalIPs: null,
      RuntimeHandler: '',
      CNIResult: null,
      ProcessLabel: '',
    },
  });
}
