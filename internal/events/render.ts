/** One event as ctr prints it, or as a JSON line. */
import type { containerd } from '../../api/gen/types';
import { toJSONValue } from '../api/json';
import { goJSONAny, type GoStyle } from './go-json';
import { goTimeString } from './go-time';

export type Envelope = containerd.types.Envelope;

/**
 * ctr's line: fmt.Println(timestamp, namespace, topic, json(event)). An event
 * of a type ctrx does not know keeps its raw Any form.
 */
export function eventLine(e: Envelope, style: GoStyle): string {
  let payload = '';
  if (e.event && e.event.type_url) {
    payload = goJSONAny(e.event, style) ?? JSON.stringify({ type_url: e.event.type_url, value: Buffer.from(e.event.value ?? []).toString('base64') });
  }
  return `${goTimeString(e.timestamp)} ${e.namespace} ${e.topic} ${payload}\n`;
}

/** The event as one JSON document on one line: protojson of the envelope, the payload decoded under "@type". */
export function eventJSONLine(e: Envelope): string {
  return JSON.stringify(toJSONValue('containerd.types.Envelope', e)) + '\n';
}
