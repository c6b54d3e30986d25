/**
 * YAML read as goresctrl reads its config (sigs.k8s.io/yaml over go-yaml v2):
 * the first document only, YAML 1.1 plain scalars (0x10, 010, 1_000, yes/no,
 * ~), duplicate keys allowed with the last one winning, << merges. The syntax
 * itself is parsed by the `yaml` package; scalars are resolved here so their
 * types, and the text they turn into, are go-yaml's.
 */
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node } from 'yaml';

/** A YAML value as go-yaml decodes it into interface{}; maps keep their keys as strings. */
export type GoValue = null | boolean | string | GoInt | GoFloat | GoValue[] | Map<string, GoValue>;
/** An integer (int64, or uint64 when only that fits). */
export interface GoInt {
  int: bigint;
}
/** A float64. */
export interface GoFloat {
  float: number;
}

/** A document that is not YAML, with go-yaml's "yaml: line N: ..." shape. */
export class YamlSyntaxError extends Error {}

const BOOLS: Record<string, boolean> = {};
for (const w of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']) BOOLS[w] = true;
for (const w of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) BOOLS[w] = false;
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const SPECIAL_FLOATS: Record<string, number> = {};
for (const w of ['.nan', '.NaN', '.NAN']) SPECIAL_FLOATS[w] = NaN;
for (const w of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']) SPECIAL_FLOATS[w] = Infinity;
for (const w of ['-.inf', '-.Inf', '-.INF']) SPECIAL_FLOATS[w] = -Infinity;

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;
// strconv.ParseInt(s, 0, 64)'s syntax (underscores already gone).
const GO_INT = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
const GO_UINT = /^(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

function goIntValue(digits: string): bigint {
  // BigInt() reads 0x/0o/0b itself; a bare leading 0 means octal to Go.
  if (/^0[0-7]+$/.test(digits)) return BigInt('0o' + digits.slice(1));
  return BigInt(digits);
}

// strconv.ParseFloat for the forms that reach it here: finite float64s only.
function goFloat(text: string): GoFloat | undefined {
  const f = Number(text);
  return Number.isFinite(f) ? { float: f } : undefined;
}

/** go-yaml v2's resolve() for an untagged plain scalar. */
export function resolvePlain(text: string): GoValue {
  if (text in BOOLS) return BOOLS[text];
  if (NULLS.has(text)) return null;
  if (text in SPECIAL_FLOATS) return { float: SPECIAL_FLOATS[text] };
  const first = text[0];
  if (first === '.') return (/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text) && goFloat(text)) || text;
  if (first === '+' || first === '-' || (first >= '0' && first <= '9')) {
    const plain = text.replace(/_/g, '');
    const m = GO_INT.exec(plain);
    if (m) {
      const v = m[1] === '-' ? -goIntValue(m[2]) : goIntValue(m[2]);
      if (v >= INT64_MIN && v <= INT64_MAX) return { int: v };
    }
    if (GO_UINT.test(plain)) {
      const v = goIntValue(plain);
      if (v <= UINT64_MAX) return { int: v };
    }
    if (YAML_FLOAT.test(plain)) {
      const f = goFloat(plain);
      if (f) return f;
    }
  }
  return text;
}

function scalar(node: Node): GoValue {
  if (!isScalar(node)) return null;
  const text = node.value === null || node.value === undefined ? '' : String(node.value);
  if (node.type !== 'PLAIN') return text;
  if (node.tag === 'tag:yaml.org,2002:str') return text;
  return resolvePlain(text);
}

/** strconv.FormatFloat(f, 'g', -1, 32): the shortest float32 text, Go's %g layout. */
export function formatFloat32(f64: number): string {
  const f = Math.fround(f64);
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  let digits = '';
  let exp = 0;
  for (let p = 1; p <= 9; p++) {
    const s = Math.abs(f).toExponential(p - 1);
    if (Math.fround(Number(s)) === Math.abs(f) || p === 9) {
      const [mant, e] = s.split('e');
      digits = mant.replace('.', '').replace(/0+$/, '') || '0';
      exp = Number(e);
      break;
    }
  }
  const sign = f < 0 ? '-' : '';
  // %e when the exponent is below -4 or at least 6 (the shortest form's precision).
  if (exp < -4 || exp >= 6) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp);
    return `${sign}${mant}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** A map key as sigs.k8s.io/yaml turns it into a JSON object key. */
function keyString(k: GoValue): string {
  if (typeof k === 'string') return k;
  if (typeof k === 'boolean') return String(k);
  if (k !== null && typeof k === 'object' && 'int' in k) return k.int.toString();
  if (k !== null && typeof k === 'object' && 'float' in k) {
    const s = formatFloat32(k.float);
    return s === '+Inf' ? '.inf' : s === '-Inf' ? '-.inf' : s === 'NaN' ? '.nan' : s;
  }
  // Go goes on to print the key and value with %+#v; the type is what matters.
  throw new YamlSyntaxError(`unsupported map key of type: ${k === null ? '%!s(<nil>), key: <nil>' : Array.isArray(k) ? '[]interface {}' : 'map[interface {}]interface {}'}`);
}

function convert(node: Node | null, doc: Document, depth: number): GoValue {
  if (depth > 1000) throw new YamlSyntaxError('yaml: exceeded max depth');
  if (node === null || node === undefined) return null;
  if (isAlias(node)) {
    const target = node.resolve(doc);
    if (!target) throw new YamlSyntaxError(`yaml: unknown anchor '${node.source}' referenced`);
    return convert(target as Node, doc, depth + 1);
  }
  if (isSeq(node)) return node.items.map((n) => convert(n as Node, doc, depth + 1));
  if (isMap(node)) {
    const out = new Map<string, GoValue>();
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const value = convert(pair.value as Node | null, doc, depth + 1);
      if (isScalar(keyNode) && keyNode.type === 'PLAIN' && keyNode.value === '<<') {
        merge(out, value);
        continue;
      }
      out.set(keyString(convert(keyNode, doc, depth + 1)), value);
    }
    return out;
  }
  return scalar(node);
}

// go-yaml's "<<": the keys of a map, or of each map in a list (the first map wins).
function merge(into: Map<string, GoValue>, value: GoValue): void {
  const maps = value instanceof Map ? [value] : Array.isArray(value) && value.every((v) => v instanceof Map) ? [...(value as Map<string, GoValue>[])].reverse() : undefined;
  if (!maps) throw new YamlSyntaxError('yaml: map merge requires map or sequence of maps as the value');
  for (const m of maps) for (const [k, v] of m) into.set(k, v);
}

/** The first YAML document of text as go-yaml decodes it (null for an empty one). */
export function parseGoYaml(text: string): GoValue {
  const docs = parseAllDocuments(text, { schema: 'failsafe', uniqueKeys: false, version: '1.1', prettyErrors: false });
  if (!Array.isArray(docs) || docs.length === 0) return null;
  const doc = docs[0];
  if (doc.errors.length) {
    const e = doc.errors[0];
    const line = text.slice(0, e.pos[0]).split('\n').length;
    const what = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new YamlSyntaxError(`yaml: line ${line}: ${what}`);
  }
  return convert(doc.contents as Node | null, doc, 0);
}
