/**
 * The Electron shell's security rules as pure functions (no `electron` import), so unit
 * tests check exactly what the shell enforces. main.ts only wires them to Electron's hooks.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The renderer is served from this privileged custom scheme, never from the network. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/**
 * Sent as a response header for every app:// file (the renderer's <meta> CSP says the same;
 * the header also covers responses the meta tag cannot, such as workers).
 * connect-src is 'self' only: in Electron the renderer talks to the core through IPC, not the network.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** Is this frame URL our own renderer (the only page allowed to reach the core over IPC)? */
export function isTrustedSender(url: string | undefined | null): boolean {
  if (!url) return false;
  const u = parse(url);
  return !!u && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && !u.username && !u.password;
}

/**
 * will-navigate: the app is a single page with hash routing, so any real navigation
 * (a link to a website, a dropped file, an injected redirect) is refused.
 */
export function allowNavigation(_from: string, _to: string): boolean {
  return false;
}

/** Links a user may open in the system browser (school sites, evidence links): http(s) only. */
export function externalLink(url: string): string | null {
  const u = parse(url);
  if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:') || u.username || u.password) return null;
  return u.toString();
}

/** setWindowOpenHandler: never a new Electron window; http(s) links go to the OS browser. */
export function windowOpenDecision(url: string): { action: 'deny'; openExternally: string | null } {
  return { action: 'deny', openExternally: externalLink(url) };
}

/** setPermissionRequestHandler / setPermissionCheckHandler: camera, geolocation, notifications… all refused. */
export function allowPermission(_permission: string): boolean {
  return false;
}

/**
 * Maps an app:// request to a file inside the built renderer folder, or null when the URL
 * names another scheme/host or its path escapes the folder. Unknown paths fall back to
 * index.html (the renderer routes by hash, so any other path is a stale or typed URL).
 */
export function resolveAppFile(root: string, url: string, isFile: (file: string) => boolean = defaultIsFile): string | null {
  const u = parse(url);
  if (!u || u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  const base = path.resolve(root);
  const file = path.resolve(base, `.${rel}`);
  if (file !== base && !file.startsWith(base + path.sep)) return null;
  return file !== base && isFile(file) ? file : path.join(base, 'index.html');
}

function defaultIsFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
