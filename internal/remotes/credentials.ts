/**
 * Where registry credentials come from: --user user[:password] (the password
 * prompted for, without echo, when left out), --refresh (a refresh token used
 * as the secret), and otherwise the Docker CLI's config.json
 * ($DOCKER_CONFIG/config.json or ~/.docker/config.json: auths.<host>.auth,
 * username/password, identitytoken), which ctr itself does not read.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Credentials, CredentialsFn } from './auth';

/** Read a password from the terminal without echo (or a line from stdin when it is not a terminal). */
export async function promptPassword(prompt = 'Password: '): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    // Not a terminal: take the first line of stdin (scripts pipe the password in).
    const chunks: Buffer[] = [];
    for await (const c of stdin) {
      chunks.push(c as Buffer);
      if ((c as Buffer).includes(10)) break;
    }
    stdin.pause();
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
  }
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    stdin.setRawMode(true);
    stdin.resume();
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new Error('password prompt interrupted'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

interface DockerAuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

/** The keys docker uses for a registry host in config.json. */
function dockerKeys(host: string): string[] {
  if (host === 'docker.io' || host === 'registry-1.docker.io' || host === 'index.docker.io') {
    return ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];
  }
  return [host, `https://${host}`, `http://${host}`, `https://${host}/v1/`, `https://${host}/v2/`];
}

/** Credentials for host from the Docker CLI config, if any. */
export function dockerConfigCredentials(host: string, configDir = process.env.DOCKER_CONFIG || path.join(os.homedir(), '.docker')): Credentials | undefined {
  let doc: { auths?: Record<string, DockerAuthEntry> };
  try {
    doc = JSON.parse(fs.readFileSync(path.join(configDir, 'config.json'), 'utf8'));
  } catch {
    return undefined;
  }
  const auths = doc.auths ?? {};
  for (const key of dockerKeys(host)) {
    const e = auths[key] ?? auths[key.replace(/\/$/, '')];
    if (!e) continue;
    if (e.identitytoken) return { username: '', secret: e.identitytoken };
    if (e.auth) {
      const plain = Buffer.from(e.auth, 'base64').toString('utf8');
      const i = plain.indexOf(':');
      if (i > 0) return { username: plain.slice(0, i), secret: plain.slice(i + 1) };
    }
    if (e.username) return { username: e.username, secret: e.password ?? '' };
  }
  return undefined;
}

export interface CredentialFlags {
  user?: string;
  refresh?: string;
}

/**
 * The credentials function for a command: --user (prompting for a missing
 * password now, before any transfer starts) or --refresh win for every host;
 * otherwise each host is looked up in the Docker config.
 */
export async function credentialsFromFlags(flags: CredentialFlags): Promise<CredentialsFn> {
  if (flags.user) {
    const i = flags.user.indexOf(':');
    let username = flags.user;
    let secret: string;
    if (i >= 0) {
      username = flags.user.slice(0, i);
      secret = flags.user.slice(i + 1);
    } else {
      secret = await promptPassword();
    }
    const c = { username, secret };
    return () => c;
  }
  if (flags.refresh) {
    const c = { username: '', secret: flags.refresh };
    return () => c;
  }
  return (host) => dockerConfigCredentials(host);
}
