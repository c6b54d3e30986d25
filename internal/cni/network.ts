/**
 * Attaching a container to a network list and detaching it again, as libcni
 * does: ADD runs every plugin in order, each given the previous result as
 * prevResult, and the final result is cached; DEL runs them in reverse with
 * the cached result. Unlike libcni, an ADD that fails part-way DELs the
 * plugins that already ran, so nothing of it stays allocated.
 */
import type { CniSettings, NetworkList, PluginConfig } from './config';
import { execPlugin, findPlugin, type CniCommand } from './exec';
import { parseResult, versionAtLeast, type CniResult } from './result';
import { readCachedResult, removeCachedResult, writeCachedResult, type CacheKey } from './cache';

/** Which container, in which network namespace, is being attached. */
export interface Attachment {
  /** ctr's "<namespace>-<id>". */
  containerId: string;
  netns: string;
}

/** The stdin of one plugin: its config with the list's name and version, and prevResult when there is one. */
export function pluginStdin(net: NetworkList, plugin: PluginConfig, prev?: CniResult): Buffer {
  const conf: Record<string, unknown> = { ...plugin, name: net.name, cniVersion: net.cniVersion };
  if (prev) conf.prevResult = prev;
  else delete conf.prevResult;
  return Buffer.from(JSON.stringify(conf));
}

// One line naming the plugin, as libcni words it: plugin type="bridge" failed (add): <why>.
function pluginFailure(net: NetworkList, plugin: PluginConfig, command: CniCommand, err: unknown): Error {
  const why = (err as Error).message.replace(/\s*\n\s*/g, ' ');
  return new Error(`CNI network ${JSON.stringify(net.name)}: plugin type=${JSON.stringify(plugin.type)} failed (${command === 'ADD' ? 'add' : 'delete'}): ${why}`);
}

async function runPlugin(net: NetworkList, plugin: PluginConfig, command: CniCommand, at: Attachment, s: CniSettings, prev?: CniResult): Promise<Buffer> {
  const file = findPlugin(plugin.type, s.pluginDirs);
  const inv = { command, containerId: at.containerId, netns: at.netns, ifName: s.ifName, pluginDirs: s.pluginDirs };
  return execPlugin(file, inv, pluginStdin(net, plugin, prev));
}

const cacheKey = (net: NetworkList, at: Attachment, s: CniSettings): CacheKey => ({ cacheDir: s.cacheDir, network: net.name, containerId: at.containerId, ifName: s.ifName });

/** CNI ADD of the whole list; on failure the plugins that ran (and the failing one) are DELeted again. */
export async function addNetwork(net: NetworkList, at: Attachment, s: CniSettings): Promise<CniResult> {
  let prev: CniResult | undefined;
  for (let i = 0; i < net.plugins.length; i++) {
    const plugin = net.plugins[i];
    try {
      prev = parseResult(await runPlugin(net, plugin, 'ADD', at, s, prev));
    } catch (err) {
      // The failing plugin may have done part of its work; a DEL of what is not there is a no-op for plugins.
      for (let j = i; j >= 0; j--) await runPlugin(net, net.plugins[j], 'DEL', at, s, prev).catch(() => undefined);
      throw pluginFailure(net, plugin, 'ADD', err);
    }
  }
  writeCachedResult(cacheKey(net, at, s), net, at.netns, prev!);
  return prev!;
}

// go-cni treats these as already removed (CNI spec: DEL of something gone is not an error).
const alreadyGone = (err: unknown, netns: string) => {
  const msg = (err as Error).message;
  return msg.includes('not found') || (netns === '' && msg.includes('no such file or directory'));
};

/**
 * CNI DEL of the whole list, in reverse, with the cached ADD result as
 * prevResult (CNI 0.4.0+). Every plugin is asked even when one fails; the
 * first failure is thrown and the cache entry kept for another try.
 */
export async function delNetwork(net: NetworkList, at: Attachment, s: CniSettings): Promise<void> {
  const key = cacheKey(net, at, s);
  const prev = versionAtLeast(net.cniVersion, '0.4.0') ? readCachedResult(key) : undefined;
  let first: Error | undefined;
  for (const plugin of [...net.plugins].reverse()) {
    try {
      await runPlugin(net, plugin, 'DEL', at, s, prev);
    } catch (err) {
      if (!first && !alreadyGone(err, at.netns)) first = pluginFailure(net, plugin, 'DEL', err);
    }
  }
  if (first) throw first;
  removeCachedResult(key);
}
