/** Whether the connected daemon serves each service: from Introspection, or by asking each service. */
import type { Client } from './client';
import { SERVING_PLUGIN } from './api-catalog';

/** 'yes', 'no', 'no (plugin failed: why)', or where a service not on this socket lives ('ttrpc', 'shim'). */
export type Served = string;

/**
 * By default one Introspection.Plugins call: a service is served when the
 * io.containerd.grpc.v1 plugin that registers it loaded. With probe, each
 * service is asked directly (a call of a method no service has, which grpc-go
 * answers differently for registered and unknown services).
 */
export async function servedMap(client: Client, services: string[], probe: boolean): Promise<Record<string, Served>> {
  const out: Record<string, Served> = {};
  if (probe) {
    const answers = await Promise.all(services.map((s) => client.probeService(s)));
    services.forEach((s, i) => (out[s] = answers[i] ? 'yes' : 'no'));
    return out;
  }
  const res = await client.unary('containerd.services.introspection.v1.Introspection', 'Plugins', { filters: ['type==io.containerd.grpc.v1'] });
  const plugins = new Map(res.plugins.map((p) => [p.id, p]));
  for (const s of services) {
    const id = SERVING_PLUGIN[s];
    if (id === 'ttrpc' || id === 'shim') {
      out[s] = id;
      continue;
    }
    const p = id ? plugins.get(id) : undefined;
    if (!p) out[s] = 'no';
    else if (p.init_err && p.init_err.code) out[s] = `no (plugin failed: ${p.init_err.message})`;
    else out[s] = 'yes';
  }
  return out;
}
