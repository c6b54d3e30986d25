/** OCI platforms: formatting and parsing as containerd's platforms package does. */

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
  os_version?: string;
}

/** os/arch[/variant], containerd's platforms.Format. */
export function formatPlatform(p: Platform): string {
  if (!p.os) return 'unknown';
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}
