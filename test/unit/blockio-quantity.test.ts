/**
 * Kubernetes quantities as goresctrl's blockio turns them into numbers. The
 * expected values are what ctr 2.1.9 wrote into specs for the same text
 * (ThrottleReadBps of a class), overflow quirks included.
 */
import { quantityValue, QuantityError } from '../../internal/blockio/quantity';

describe('blockio quantities', () => {
  it.each([
    // Decimal and binary suffixes.
    ['50M', 50_000_000n],
    ['10k', 10_000n],
    ['1.5Mi', 1_572_864n],
    ['1Ki', 1024n],
    ['1.G', 1_000_000_000n],
    ['2.5k', 2500n],
    ['99Ti', 108_851_651_149_824n],
    ['1234Gi', 1_324_997_410_816n],
    ['1.5Gi', 1_610_612_736n],
    ['0.5Ki', 512n],
    ['1Ei', 1_152_921_504_606_846_976n],
    ['1.5Ei', 1_729_382_256_910_270_464n],
    ['1E', 1_000_000_000_000_000_000n],
    // Plain numbers and exponents.
    ['0', 0n],
    ['00', 0n],
    ['500', 500n],
    ['+5', 5n],
    ['5.', 5n],
    ['08', 8n],
    ['1e3', 1000n],
    ['1e+3', 1000n],
    ['1.5e+06', 1_500_000n],
    ['1.2345679e+08', 123_456_790n],
    ['e3', 0n],
    // Fractions round up, away from zero.
    ['0.5', 1n],
    ['.5', 1n],
    ['1m', 1n],
    ['1n', 1n],
    ['1e-3', 1n],
    ['1.0000000001', 2n],
    ['12345.678', 12346n],
    ['-0.5', -1n],
    ['-1.5', -2n],
    ['-0.0000000001', 1n],
    // Past int64: decimal values wrap or become 0, binary ones stop at MaxInt64.
    ['9223372036854775807', 9_223_372_036_854_775_807n],
    ['9223372036854775808', -9_223_372_036_854_775_808n],
    ['18446744073709551615', -1n],
    ['12345678901234567890', -6_101_065_172_474_983_726n],
    ['100E', 0n],
    ['1e19', 0n],
    ['1e+20', 0n],
    ['1e400', 0n],
    ['-1e30', 0n],
    ['8Ei', 9_223_372_036_854_775_807n],
  ])('%s is %s', (text, value) => {
    expect(quantityValue(text)).toBe(value);
  });

  it.each(['', '1K', '1 M', '0x10', '1Mi.5', '1M5', 'abc', 'true', '+Inf', '1e', '1MiB', '--1'])('rejects %j', (text) => {
    expect(() => quantityValue(text)).toThrow(QuantityError);
  });
});
