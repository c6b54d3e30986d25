/**
 * OCI platforms as containerd's platforms package treats them: parsing
 * "os/arch/variant" with its normalisations, formatting, and the default
 * matcher (this host's platform; on amd64 also 386).
 */

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
  os_version?: string;
  os_features?: string[];
}

const NODE_ARCH: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };

/** os/arch[/variant], containerd's platforms.Format. */
export function formatPlatform(p: Platform): string {
  if (!p.os) return 'unknown';
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/** Architecture and variant names as containerd normalises them. */
export function normalizeArch(arch: string, variant = ''): { architecture: string; variant: string } {
  const a = arch.toLowerCase();
  const v = variant.toLowerCase();
  switch (a) {
    case 'i386':
      return { architecture: '386', variant: '' };
    case 'x86_64':
    case 'x86-64':
    case 'amd64':
      return { architecture: 'amd64', variant: v === 'v1' ? '' : v };
    case 'aarch64':
    case 'arm64':
      return { architecture: 'arm64', variant: v === '8' || v === 'v8' ? '' : v };
    case 'armhf':
      return { architecture: 'arm', variant: 'v7' };
    case 'armel':
      return { architecture: 'arm', variant: 'v6' };
    case 'arm':
      return { architecture: 'arm', variant: v === '' || v === '7' ? 'v7' : v === '5' || v === '6' || v === '8' ? `v${v}` : v };
    default:
      return { architecture: a, variant: v };
  }
}

/** The platform ctrx runs on (containerd's platforms.DefaultSpec). */
export function defaultPlatform(): Platform {
  const { architecture, variant } = normalizeArch(NODE_ARCH[process.arch] ?? process.arch);
  return variant ? { os: process.platform, architecture, variant } : { os: process.platform, architecture };
}

/** Parse "linux", "linux/arm64", "linux/arm/v7", "amd64" as containerd does. */
export function parsePlatform(spec: string): Platform {
  const parts = spec.split('/');
  const known = /^(linux|windows|darwin|freebsd|netbsd|openbsd|solaris|illumos|plan9|aix|android|ios|js|wasip1|dragonfly)$/;
  const bad = () => new Error(`"${spec}": unknown operating system or architecture: invalid argument`);
  if (!spec || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) throw new Error(`"${spec}": invalid platform component: invalid argument`);
  const def = defaultPlatform();
  if (parts.length === 1) {
    const word = parts[0].toLowerCase();
    if (known.test(word)) return { os: word, architecture: def.architecture, ...(def.variant ? { variant: def.variant } : {}) };
    const { architecture, variant } = normalizeArch(word);
    if (!architecture) throw bad();
    return variant ? { os: def.os, architecture, variant } : { os: def.os, architecture };
  }
  if (parts.length > 3) throw bad();
  const os = parts[0].toLowerCase();
  const { architecture, variant } = normalizeArch(parts[1], parts[2] ?? '');
  return variant ? { os, architecture, variant } : { os, architecture };
}

/** Normalise a platform as found in an index (for comparing). */
export function normalizePlatform(p: Platform): Platform {
  const { architecture, variant } = normalizeArch(p.architecture ?? '', p.variant ?? '');
  return variant ? { os: (p.os ?? '').toLowerCase(), architecture, variant } : { os: (p.os ?? '').toLowerCase(), architecture };
}

/** A predicate that accepts platforms compatible with `want` (containerd's platforms.Only). */
export function platformMatcher(want: Platform): (p: Platform) => boolean {
  const w = normalizePlatform(want);
  const compatible: Platform[] = [w];
  if (w.architecture === 'amd64') compatible.push({ os: w.os, architecture: '386' });
  if (w.architecture === 'arm64') compatible.push({ os: w.os, architecture: 'arm', variant: 'v8' }, { os: w.os, architecture: 'arm', variant: 'v7' });
  if (w.architecture === 'arm' && w.variant) {
    const n = Number(w.variant.slice(1));
    for (let v = n - 1; v >= 5; v--) compatible.push({ os: w.os, architecture: 'arm', variant: `v${v}` });
  }
  return (p) => {
    const n = normalizePlatform(p);
    return compatible.some((c) => c.os === n.os && c.architecture === n.architecture && (c.variant ?? '') === (n.variant ?? ''));
  };
}

/**
 * Order for picking among several matches: the exact platform first, then the
 * compatible ones in the order above (containerd's Only ordering).
 */
export function platformRank(want: Platform): (p: Platform) => number {
  const w = normalizePlatform(want);
  const matches = platformMatcher(want);
  return (p) => {
    if (!matches(p)) return Infinity;
    const n = normalizePlatform(p);
    if (n.architecture === w.architecture && (n.variant ?? '') === (w.variant ?? '')) return 0;
    return 1;
  };
}
