/**
 * Where CNI lives and which network ctr's `run --cni` joins: go-cni's default
 * configuration, i.e. the first network config file (.conf, .conflist, .json)
 * of the config directory in lexical order, parsed as libcni parses it.
 */
import * as fs from 'fs';
import * as path from 'path';

/** ctr's (go-cni's) network config directory. */
export const DEFAULT_CONF_DIR = '/etc/cni/net.d';
/**
 * Plugin directories: upstream ctr searches /opt/cni/bin only; Debian's ctr
 * (1.6) also /usr/lib/cni, where Debian's containernetworking-plugins live.
 */
export const DEFAULT_PLUGIN_DIRS = ['/opt/cni/bin', '/usr/lib/cni'];
/** go-cni's interface name for the first network: prefix "eth" + index 0. */
export const DEFAULT_IFNAME = 'eth0';
/** libcni's cache directory (results/ holds each attachment's ADD result). */
export const DEFAULT_CACHE_DIR = '/var/lib/cni';

/** Where configs and plugins are found, and the interface to make. */
export interface CniSettings {
  confDir: string;
  pluginDirs: string[];
  ifName: string;
  cacheDir: string;
}

/** One plugin's entry in a network list ("type" names the binary). */
export interface PluginConfig {
  type: string;
  [key: string]: unknown;
}

/** A network configuration list (a .conf file becomes a list of one). */
export interface NetworkList {
  file: string;
  name: string;
  cniVersion: string;
  plugins: PluginConfig[];
  /** The list as libcni caches it (the file itself, or the list a .conf was turned into). */
  bytes: Buffer;
}

/** ctr's paths, overridden like cnitool by NETCONFPATH (config dir) and CNI_PATH (colon-separated plugin dirs). */
export function cniSettings(env: NodeJS.ProcessEnv = process.env): CniSettings {
  const dirs = (env.CNI_PATH ?? '').split(':').filter(Boolean);
  return {
    confDir: env.NETCONFPATH || DEFAULT_CONF_DIR,
    pluginDirs: dirs.length ? dirs : DEFAULT_PLUGIN_DIRS,
    ifName: DEFAULT_IFNAME,
    cacheDir: DEFAULT_CACHE_DIR,
  };
}

const CONF_EXTENSIONS = ['.conf', '.conflist', '.json'];
// libcni's rule for network names (they become part of cache file names).
const VALID_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** The network ctr would use: the first config file of `dir`. */
export function loadDefaultNetwork(dir: string): NetworkList {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    // A missing directory is just "no config", as libcni treats it.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`failed to read CNI config directory ${dir}: ${(err as Error).message}`);
    names = [];
  }
  const files = names
    .map((n) => path.join(dir, n))
    .filter((f) => CONF_EXTENSIONS.includes(path.extname(f)) && isFile(f))
    .sort();
  if (!files.length) throw new Error(`no CNI network config found in ${dir}: cni plugin not initialized`);
  const file = files[0];
  const list = file.endsWith('.conflist') ? loadFile(file, 'config list file', parseList) : loadFile(file, 'config file', parseSingle);
  if (!VALID_NAME.test(list.name)) throw new Error(`CNI network config ${file}: invalid characters found in network name ${JSON.stringify(list.name)}`);
  return list;
}

function isFile(f: string): boolean {
  try {
    return fs.statSync(f).isFile();
  } catch {
    return false;
  }
}

function loadFile(file: string, what: string, parse: (raw: Buffer, file: string) => NetworkList): NetworkList {
  let raw: Buffer;
  try {
    raw = fs.readFileSync(file);
  } catch (err) {
    throw new Error(`failed to load CNI ${what} ${file}: ${(err as Error).message}`);
  }
  try {
    return parse(raw, file);
  } catch (err) {
    throw new Error(`failed to load CNI ${what} ${file}: ${(err as Error).message}: invalid cni config`);
  }
}

function parseJSONObject(raw: Buffer, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw new Error(`error parsing ${what}: ${(err as Error).message}`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error(`error parsing ${what}: not a JSON object`);
  return v as Record<string, unknown>;
}

function optionalString(obj: Record<string, unknown>, key: string, what: string): string {
  const v = obj[key];
  if (v === undefined) return '';
  if (typeof v !== 'string') throw new Error(`error parsing ${what}: invalid ${key} type ${typeof v}`);
  return v;
}

function pluginConfig(v: unknown, what: string): PluginConfig {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error(`error parsing ${what}: not a JSON object`);
  const type = (v as Record<string, unknown>).type;
  if (typeof type !== 'string' || !type) throw new Error(`error parsing ${what}: missing 'type'`);
  return v as PluginConfig;
}

/** A .conflist: {name, cniVersion, plugins: [...]}. */
export function parseList(raw: Buffer, file = ''): NetworkList {
  const what = 'configuration list';
  const obj = parseJSONObject(raw, what);
  if (obj.name === undefined) throw new Error(`error parsing ${what}: no name`);
  const name = optionalString(obj, 'name', what);
  const cniVersion = optionalString(obj, 'cniVersion', what);
  if (obj.plugins === undefined) throw new Error('no plugin configs found');
  if (!Array.isArray(obj.plugins)) throw new Error(`error parsing ${what}: invalid 'plugins' type ${typeof obj.plugins}`);
  if (!obj.plugins.length) throw new Error(`error parsing ${what}: no plugins in list`);
  const plugins = obj.plugins.map((p, i) => {
    try {
      return pluginConfig(p, 'configuration');
    } catch (err) {
      throw new Error(`failed to parse plugin config ${i}: ${(err as Error).message}`);
    }
  });
  return { file, name, cniVersion, plugins, bytes: raw };
}

/** A .conf / .json: one plugin's config, made into a list of one as libcni does. */
export function parseSingle(raw: Buffer, file = ''): NetworkList {
  const what = 'configuration';
  const conf = pluginConfig(parseJSONObject(raw, what), what);
  const name = optionalString(conf, 'name', what);
  const cniVersion = optionalString(conf, 'cniVersion', what);
  const bytes = Buffer.from(JSON.stringify({ cniVersion, name, plugins: [conf] }));
  return { file, name, cniVersion, plugins: [conf], bytes };
}
