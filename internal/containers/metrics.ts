/**
 * Task metrics: the cgroup v1 and v2 Metrics messages the runc shim sends in
 * Tasks.Metrics, decoded from the wire by hand (ctrx has no .proto for them;
 * field numbers from the published cgroups stats protos), and printed as ctr
 * prints them: its METRIC/VALUE table, or Go's indented JSON (uint64 values
 * kept exact, empty fields left out, present empty messages as {}).
 */

// A message: field number → [json name, kind, repeated?]; kinds are 'u' (varint), 's' (string) or a message name.
type FieldDef = [name: string, kind: string, repeated?: boolean];
type Schema = Record<string, Record<number, FieldDef>>;

const u = (name: string, repeated = false): FieldDef => [name, 'u', repeated];
const fieldsOf = (names: string): Record<number, FieldDef> => Object.fromEntries(names.split(' ').map((n, i) => [i + 1, u(n)]));

const BLKIO = 'io_service_bytes_recursive io_serviced_recursive io_queued_recursive io_service_time_recursive io_wait_time_recursive io_merged_recursive io_time_recursive sectors_recursive';
const V1_MEMORY =
  'cache rss rss_huge mapped_file dirty writeback pg_pg_in pg_pg_out pg_fault pg_maj_fault inactive_anon active_anon inactive_file active_file unevictable hierarchical_memory_limit hierarchical_swap_limit ' +
  'total_cache total_rss total_rss_huge total_mapped_file total_dirty total_writeback total_pg_pg_in total_pg_pg_out total_pg_fault total_pg_maj_fault total_inactive_anon total_active_anon total_inactive_file total_active_file total_unevictable';

/** io.containerd.cgroups.v1.Metrics (containerd/cgroups stats/v1/metrics.proto). */
const V1: Schema = {
  Metrics: { 1: ['hugetlb', 'Hugetlb', true], 2: ['pids', 'Pids'], 3: ['cpu', 'CPU'], 4: ['memory', 'Memory'], 5: ['blkio', 'Blkio'], 6: ['rdma', 'Rdma'], 7: ['network', 'Network', true], 8: ['cgroup_stats', 'CgroupStats'], 9: ['memory_oom_control', 'OomControl'] },
  Hugetlb: { 1: u('usage'), 2: u('max'), 3: u('failcnt'), 4: ['pagesize', 's'] },
  Pids: fieldsOf('current limit'),
  CPU: { 1: ['usage', 'CPUUsage'], 2: ['throttling', 'Throttle'] },
  CPUUsage: { 1: u('total'), 2: u('kernel'), 3: u('user'), 4: u('per_cpu', true) },
  Throttle: fieldsOf('periods throttled_periods throttled_time'),
  Memory: { ...fieldsOf(V1_MEMORY), 33: ['usage', 'MemEntry'], 34: ['swap', 'MemEntry'], 35: ['kernel', 'MemEntry'], 36: ['kernel_tcp', 'MemEntry'] },
  MemEntry: fieldsOf('limit usage max failcnt'),
  OomControl: fieldsOf('oom_kill_disable under_oom oom_kill'),
  Blkio: Object.fromEntries(BLKIO.split(' ').map((n, i) => [i + 1, [n, 'BlkioEntry', true] as FieldDef])),
  BlkioEntry: { 1: ['op', 's'], 2: ['device', 's'], 3: u('major'), 4: u('minor'), 5: u('value') },
  Rdma: { 1: ['current', 'RdmaEntry', true], 2: ['limit', 'RdmaEntry', true] },
  RdmaEntry: { 1: ['device', 's'], 2: u('hca_handles'), 3: u('hca_objects') },
  Network: { 1: ['name', 's'], ...Object.fromEntries('rx_bytes rx_packets rx_errors rx_dropped tx_bytes tx_packets tx_errors tx_dropped'.split(' ').map((n, i) => [i + 2, u(n)])) },
  CgroupStats: fieldsOf('nr_sleeping nr_running nr_stopped nr_uninterruptible nr_io_wait'),
};

const V2_MEMORY =
  'anon file kernel_stack slab sock shmem file_mapped file_dirty file_writeback anon_thp inactive_anon active_anon inactive_file active_file unevictable slab_reclaimable slab_unreclaimable pgfault pgmajfault ' +
  'workingset_refault workingset_activate workingset_nodereclaim pgrefill pgscan pgsteal pgactivate pgdeactivate pglazyfree pglazyfreed thp_fault_alloc thp_collapse_alloc usage usage_limit swap_usage swap_limit max_usage swap_max_usage';

/** io.containerd.cgroups.v2.Metrics (containerd/cgroups stats/v2/metrics.proto). */
const V2: Schema = {
  Metrics: { 1: ['pids', 'Pids'], 2: ['cpu', 'CPU'], 4: ['memory', 'Memory'], 5: ['rdma', 'Rdma'], 6: ['io', 'IO'], 7: ['hugetlb', 'Hugetlb', true], 8: ['memory_events', 'MemoryEvents'] },
  Pids: fieldsOf('current limit'),
  CPU: { ...fieldsOf('usage_usec user_usec system_usec nr_periods nr_throttled throttled_usec'), 7: ['psi', 'PSI'] },
  PSI: { 1: ['some', 'PSIData'], 2: ['full', 'PSIData'] },
  PSIData: { 1: ['avg10', 'd'], 2: ['avg60', 'd'], 3: ['avg300', 'd'], 4: u('total') },
  Memory: { ...fieldsOf(V2_MEMORY), 38: ['psi', 'PSI'] },
  Rdma: { 1: ['current', 'RdmaEntry', true], 2: ['limit', 'RdmaEntry', true] },
  RdmaEntry: { 1: ['device', 's'], 2: u('hca_handles'), 3: u('hca_objects') },
  IO: { 1: ['usage', 'IOEntry', true], 2: ['psi', 'PSI'] },
  IOEntry: fieldsOf('major minor rbytes wbytes rios wios'),
  Hugetlb: { 1: u('current'), 2: u('max'), 3: ['pagesize', 's'] },
  MemoryEvents: fieldsOf('low high max oom oom_kill'),
};

/** A decoded message: uint64s as bigint, strings, doubles, nested messages, arrays. */
export type Decoded = { [k: string]: bigint | string | number | Decoded | (bigint | Decoded)[] };

function varint(buf: Buffer, pos: { i: number }): bigint {
  let v = 0n;
  for (let shift = 0n; ; shift += 7n) {
    if (pos.i >= buf.length) throw new Error('truncated metrics message');
    const b = buf[pos.i++];
    v |= BigInt(b & 0x7f) << shift;
    if (!(b & 0x80)) return v;
  }
}

function decode(schema: Schema, type: string, buf: Buffer): Decoded {
  const defs = schema[type];
  const seen: Record<string, unknown> = {};
  const pos = { i: 0 };
  while (pos.i < buf.length) {
    const key = varint(buf, pos);
    const num = Number(key >> 3n);
    const wire = Number(key & 7n);
    const def = defs[num];
    let value: unknown;
    let packed: bigint[] | undefined;
    if (wire === 0) value = varint(buf, pos);
    else if (wire === 1) {
      value = buf.readDoubleLE(pos.i);
      pos.i += 8;
    } else if (wire === 5) pos.i += 4;
    else if (wire === 2) {
      const len = Number(varint(buf, pos));
      const body = buf.subarray(pos.i, pos.i + len);
      pos.i += len;
      if (def?.[1] === 's') value = body.toString('utf8');
      else if (def?.[1] === 'u') {
        packed = [];
        const p = { i: 0 };
        while (p.i < body.length) packed.push(varint(body, p));
      } else if (def && schema[def[1]]) value = decode(schema, def[1], body);
    } else throw new Error(`metrics: unsupported wire type ${wire}`);
    if (!def) continue;
    const [name, , repeated] = def;
    if (repeated) seen[name] = [...((seen[name] as unknown[]) ?? []), ...(packed ?? [value])];
    else seen[name] = value;
  }
  // Go's field order and omitempty: zero scalars left out, present messages kept (even empty).
  const out: Decoded = {};
  for (const num of Object.keys(defs).map(Number).sort((a, b) => a - b)) {
    const [name] = defs[num];
    const v = seen[name];
    if (v === undefined || v === 0n || v === '' || v === 0 || (Array.isArray(v) && !v.length)) continue;
    out[name] = v as Decoded[string];
  }
  return out;
}

/** Decode a Tasks.Metrics data Any; version 1 or 2 by its type URL. */
export function decodeMetrics(any: { type_url: string; value: Buffer }): { version: 1 | 2; data: Decoded } {
  const url = any.type_url;
  if (url.endsWith('io.containerd.cgroups.v1.Metrics')) return { version: 1, data: decode(V1, 'Metrics', Buffer.from(any.value)) };
  if (url.endsWith('io.containerd.cgroups.v2.Metrics')) return { version: 2, data: decode(V2, 'Metrics', Buffer.from(any.value)) };
  throw new Error(`cannot convert metric data to cgroups.Metrics: unknown type ${url}`);
}

/** Go's json.MarshalIndent(v, "", "  ") for decoded metrics (bigints as exact numbers). */
export function metricsJSON(v: unknown, indent = ''): string {
  const next = indent + '  ';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return v.length ? `[\n${v.map((x) => next + metricsJSON(x, next)).join(',\n')}\n${indent}]` : '[]';
  const entries = Object.entries(v as object);
  if (!entries.length) return '{}';
  return `{\n${entries.map(([k, x]) => `${next}${JSON.stringify(k)}: ${metricsJSON(x, next)}`).join(',\n')}\n${indent}}`;
}

const g = (o: Decoded | undefined, ...path: string[]): Decoded[string] | undefined => {
  let cur: unknown = o;
  for (const p of path) cur = cur && typeof cur === 'object' && !Array.isArray(cur) ? (cur as Decoded)[p] : undefined;
  return cur as Decoded[string] | undefined;
};
const n = (v: unknown) => (v === undefined ? '0' : String(v));
const list = (v: unknown) => `[${((v as bigint[]) ?? []).map(String).join(' ')}]`;

/** ctr's METRIC/VALUE rows for v1 or v2 metrics. */
export function metricRows(m: { version: 1 | 2; data: Decoded }): string[][] {
  const d = m.data;
  const rows: string[][] = [];
  if (m.version === 1) {
    if (d.memory) rows.push(['memory.usage_in_bytes', n(g(d, 'memory', 'usage', 'usage'))], ['memory.limit_in_bytes', n(g(d, 'memory', 'usage', 'limit'))], ['memory.stat.cache', n(g(d, 'memory', 'total_cache'))]);
    if (d.cpu) rows.push(['cpuacct.usage', n(g(d, 'cpu', 'usage', 'total'))], ['cpuacct.usage_percpu', list(g(d, 'cpu', 'usage', 'per_cpu'))]);
    if (d.pids) rows.push(['pids.current', n(g(d, 'pids', 'current'))], ['pids.limit', n(g(d, 'pids', 'limit'))]);
    return rows;
  }
  if (d.pids) rows.push(['pids.current', n(g(d, 'pids', 'current'))], ['pids.limit', n(g(d, 'pids', 'limit'))]);
  if (d.cpu) for (const k of ['usage_usec', 'user_usec', 'system_usec', 'nr_periods', 'nr_throttled', 'throttled_usec']) rows.push([`cpu.${k}`, n(g(d, 'cpu', k))]);
  if (d.memory) for (const k of ['usage', 'usage_limit', 'swap_usage', 'swap_limit']) rows.push([`memory.${k}`, n(g(d, 'memory', k))]);
  return rows;
}
