/**
 * Kubernetes resource quantities ("50M", "1.5Mi", "10k", "1e3") as goresctrl's
 * blockio reads them: parsed the way apimachinery's resource.ParseQuantity
 * does and turned into an int64 the way Quantity.Value() does, overflow
 * quirks included (huge decimal values wrap or become 0, binary ones cap at
 * MaxInt64), because ctr 2.x puts exactly that number into the spec.
 */

const MAX_INT64 = (1n << 63n) - 1n;
const NANO_SCALE = 9;
// Digits an int64 is guaranteed to hold: the fast path's precision budget.
const INT64_DIGITS = 18;

const DECIMAL_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const SUFFIX_CHARS = 'eEinumkKMGTP';

type Format = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** Thrown for text that is not a quantity (ParseQuantity's format or suffix errors). */
export class QuantityError extends Error {}

const wrap64 = (v: bigint) => BigInt.asIntN(64, v);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

interface Parts {
  positive: boolean;
  /** The number as written, sign included, without its suffix. */
  value: string;
  /** Integer digits without leading zeros ("0" when none). */
  num: string;
  /** Fraction digits. */
  denom: string;
  suffix: string;
}

// The pieces of "<sign><digits>.<digits><suffix>"; the suffix is only checked for shape here.
function split(str: string): Parts {
  const end = str.length;
  let pos = 0;
  let positive = true;
  if (str[0] === '-' || str[0] === '+') {
    positive = str[0] === '+';
    pos++;
  }
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };
  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  let num = str.slice(pos, i);
  if (i >= end) return { positive, value: str, num: num || '0', denom: '', suffix: '' };
  num ||= '0';
  pos = i;
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    i = pos;
    while (i < end && isDigit(str[i])) i++;
    denom = str.slice(pos, i);
    if (i >= end) return { positive, value: str, num, denom, suffix: '' };
    pos = i;
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  while (pos < end && SUFFIX_CHARS.includes(str[pos])) pos++;
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  while (pos < end && isDigit(str[pos])) pos++;
  if (pos < end) throw new QuantityError('quantities must match the regular expression');
  return { positive, value, num, denom, suffix: str.slice(suffixStart) };
}

function interpret(suffix: string): { base: 2 | 10; exponent: number; format: Format } {
  if (suffix in DECIMAL_SUFFIX) return { base: 10, exponent: DECIMAL_SUFFIX[suffix], format: 'DecimalSI' };
  if (suffix in BINARY_SUFFIX) return { base: 2, exponent: BINARY_SUFFIX[suffix], format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    const rest = suffix.slice(1);
    if (/^[+-]?\d+$/.test(rest)) {
      const n = BigInt(rest);
      // strconv.ParseInt(.., 64), then an int32 conversion.
      if (n <= MAX_INT64 && n >= -MAX_INT64 - 1n) return { base: 10, exponent: Number(BigInt.asIntN(32, n)), format: 'DecimalExponent' };
    }
  }
  throw new QuantityError('unable to parse quantity\'s suffix');
}

// Value() of an {int64 value, decimal scale} quantity: scaled up with
// int64 arithmetic (wrapping, or 0 past the special cases), scaled down
// rounding away from zero.
function int64AmountValue(value: bigint, scale: number): bigint {
  if (scale < 0) {
    let v = value;
    let fraction = false;
    for (let i = 0; i < -scale; i++) {
      if (!fraction && v % 10n !== 0n) fraction = true;
      v /= 10n;
      if (v === 0n) return fraction ? (value > 0n ? 1n : -1n) : 0n;
    }
    if (fraction) v += value > 0n ? 1n : -1n;
    return v;
  }
  if (scale === 0) return value;
  if ([1, 2, 3, 6, 9].includes(scale)) return wrap64(value * 10n ** BigInt(scale));
  let v = value;
  for (let i = 0; i < scale && v !== 0n; i++) {
    const next = v * 10n;
    if (next !== wrap64(next)) return 0n;
    v = next;
  }
  return v;
}

// The slow path: an exact decimal, rounded up to nanos (away from zero), capped
// for binary suffixes only, then Value(): ceil to an integer, keeping the low 64 bits.
function decimalValue(p: Parts, base: 2 | 10, exponent: number, format: Format): bigint {
  const digits = (p.num + p.denom).replace(/^0+/, '') || '0';
  let unscaled = BigInt(digits); // magnitude; value = unscaled * 10^-scale
  let scale = p.denom.length;
  if (unscaled === 0n) return 0n;
  if (base === 10) scale -= exponent;
  else unscaled <<= BigInt(exponent);
  // Far past int64 either way: 10^64 and up has no low 64 bits left; far below a nano rounds to one.
  if (scale <= -64) return 0n;
  if (scale > NANO_SCALE + digits.length + 1) return 1n;
  // Round the magnitude up to scale 9.
  if (scale > NANO_SCALE) {
    const div = 10n ** BigInt(scale - NANO_SCALE);
    unscaled = (unscaled + div - 1n) / div;
  } else unscaled *= 10n ** BigInt(NANO_SCALE - scale);
  if (format === 'BinarySI' && unscaled > MAX_INT64 * 10n ** BigInt(NANO_SCALE)) return p.positive ? MAX_INT64 : -MAX_INT64;
  const signed = p.positive ? unscaled : -unscaled;
  // scaledValue(unscaled, 9, 0): below MaxInt64 on int64s (a huge negative has
  // wrapped already), else on big integers keeping the low 64 bits; either way
  // a truncating division plus one when anything is left over.
  const nanos = 10n ** BigInt(NANO_SCALE);
  const v = signed < MAX_INT64 ? wrap64(signed) : signed;
  const up = v % nanos !== 0n ? 1n : 0n;
  return wrap64(wrap64(v / nanos) + up);
}

/** resource.MustParse(text).Value(): the quantity as an int64, exactly as Kubernetes computes it. */
export function quantityValue(text: string): bigint {
  if (text.length === 0) throw new QuantityError('quantities must match the regular expression');
  if (text === '0') return 0n;
  const p = split(text);
  const { base, exponent, format } = interpret(p.suffix);
  let precision = -1;
  let scale = 0;
  let mantissa = 1n;
  if (format === 'BinarySI') {
    if (exponent >= 0 && p.denom.length === 0) {
      mantissa = wrap64(1n << BigInt(exponent));
      precision = 15 - p.num.length - Math.trunc((exponent * 3) / 10) - 1;
    }
  } else {
    scale = exponent;
    precision = INT64_DIGITS - (p.num.length + p.denom.length);
  }
  if (precision >= 0) {
    scale -= p.denom.length;
    if (scale >= -NANO_SCALE) {
      const shifted = BigInt(p.num + p.denom);
      const product = shifted * mantissa;
      if (product === wrap64(product) && mantissa > 0n) return int64AmountValue(p.positive ? product : -product, scale);
    }
  }
  return decimalValue(p, base, exponent, format);
}
