/**
 * The Electron shell's security settings, checked through the pure functions main.ts wires
 * into Electron (Electron itself cannot run here), plus a check that main.ts does wire them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseShellArgs } from '../../main/electron/args';
import {
  allowNavigation,
  allowPermission,
  APP_ENTRY,
  CONTENT_SECURITY_POLICY,
  externalLink,
  isTrustedSender,
  resolveAppFile,
  windowOpenDecision,
} from '../../main/electron/security';
import { windowOptions } from '../../main/electron/windowOptions';

describe('windowOptions', () => {
  it('isolates the renderer: context isolation, sandbox, no Node, web security on', () => {
    const o = windowOptions('/app/dist/preload/preload.cjs');
    expect(o.webPreferences).toMatchObject({
      preload: '/app/dist/preload/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
    });
  });
});

describe('IPC sender check', () => {
  it('trusts only our app://renderer pages', () => {
    expect(isTrustedSender(APP_ENTRY)).toBe(true);
    expect(isTrustedSender('app://renderer/index.html#/schools/1')).toBe(true);
    for (const url of [
      'https://example.com/',
      'http://127.0.0.1:5173/',
      'file:///work/main/dist/renderer/index.html',
      'app://other/index.html',
      'app://user:pw@renderer/index.html',
      'devtools://devtools/bundled/inspector.html',
      'about:blank',
      '',
      null,
      undefined,
      'not a url',
    ]) {
      expect(isTrustedSender(url), String(url)).toBe(false);
    }
  });
});

describe('navigation, new windows and permissions', () => {
  it('denies every navigation, including to our own origin (the app routes by hash)', () => {
    expect(allowNavigation(APP_ENTRY, 'https://evil.example/')).toBe(false);
    expect(allowNavigation(APP_ENTRY, 'file:///etc/passwd')).toBe(false);
    expect(allowNavigation(APP_ENTRY, 'app://renderer/other.html')).toBe(false);
  });

  it('never opens a new Electron window; http(s) links go to the system browser, anything else nowhere', () => {
    expect(windowOpenDecision('https://school.example/doc.pdf')).toEqual({ action: 'deny', openExternally: 'https://school.example/doc.pdf' });
    expect(windowOpenDecision('http://site.example')).toEqual({ action: 'deny', openExternally: 'http://site.example/' });
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'app://renderer/index.html', 'smb://host/share', 'https://user:pw@host.example/']) {
      expect(windowOpenDecision(url), url).toEqual({ action: 'deny', openExternally: null });
    }
    expect(externalLink('ms-settings:')).toBeNull();
  });

  it('refuses every permission request', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'unknown']) {
      expect(allowPermission(p), p).toBe(false);
    }
  });
});

describe('CSP and the app:// file mapping', () => {
  it('the CSP allows only our own origin: no remote hosts, no eval, no plugins, no framing', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|https?:|\*/);
    // The renderer page carries its own CSP too, with no remote sources either.
    const html = fs.readFileSync(path.resolve('renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(meta).toContain("script-src 'self'");
    expect(meta).not.toMatch(/unsafe-eval|https?:/);
  });

  it('serves files inside the renderer folder only, falling back to index.html', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shnor-renderer-'));
    fs.mkdirSync(path.join(root, 'assets'));
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
    fs.writeFileSync(path.join(root, 'assets', 'app.js'), '');
    expect(resolveAppFile(root, 'app://renderer/assets/app.js')).toBe(path.join(root, 'assets', 'app.js'));
    expect(resolveAppFile(root, 'app://renderer/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://renderer/schools/123')).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://renderer/..%2f..%2fetc%2fpasswd')).toBeNull();
    // The URL parser already folds dot segments, so these stay inside the folder.
    expect(resolveAppFile(root, 'app://renderer/%2e%2e/%2e%2e/etc/passwd')).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://other/index.html')).toBeNull();
    expect(resolveAppFile(root, 'app://renderer/%E0%A4%A')).toBeNull();
  });
});

describe('shell arguments', () => {
  it('reads --data and --demo and ignores Chromium switches', () => {
    expect(parseShellArgs(['dist/main/electron.cjs', '--data', 'tmp/d', '--demo', '--no-sandbox'])).toEqual({ data: path.resolve('tmp/d'), demo: true });
    expect(parseShellArgs([])).toEqual({ data: null, demo: false });
  });
});

describe('main.ts wires the rules into Electron', () => {
  const src = fs.readFileSync(path.resolve('main/electron/main.ts'), 'utf8');
  it.each([
    ['the window options', /new BrowserWindow\(windowOptions\(preloadPath\)\)/],
    ['the sender check before dispatch', /ipcMain\.handle\('call'[\s\S]*?isTrustedSender\(event\.senderFrame\?\.url\)[\s\S]*?core\.call\(/],
    ['the navigation guard', /'will-navigate'[\s\S]*?allowNavigation[\s\S]*?preventDefault/],
    ['the new-window guard', /setWindowOpenHandler\([\s\S]*?windowOpenDecision/],
    ['the permission guard', /setPermissionRequestHandler\([\s\S]*?allowPermission/],
    ['the CSP header', /'content-security-policy': CONTENT_SECURITY_POLICY/],
    ['the core in a utility process, never on the main thread', /startUtilityCore\(/],
  ])('%s', (_what, pattern) => {
    expect(src).toMatch(pattern);
  });

  it('the main process loads no database or core code itself: only the shell and the supervisor', () => {
    // Value imports reached from main.ts (type-only ones are erased by the build).
    const reached = new Set<string>();
    const visit = (file: string) => {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/^import (?!type )[^;]*?from '([^']+)';/gm)) {
        const spec = m[1]!;
        if (!spec.startsWith('.')) {
          reached.add(spec);
          continue;
        }
        const target = path.resolve(path.dirname(file), `${spec}.ts`);
        const key = path.relative(path.resolve('.'), target);
        if (!reached.has(key)) {
          reached.add(key);
          visit(target);
        }
      }
    };
    visit(path.resolve('main/electron/main.ts'));
    expect([...reached].filter((r) => /^(db|core)\/|better-sqlite3|^main\/app\.ts$|exceljs|docx/.test(r))).toEqual([]);
    expect(reached).toContain(path.join('main', 'electron', 'coreProcess.ts'));
    expect(fs.readFileSync(path.resolve('main/electron/coreProcess.ts'), 'utf8')).toMatch(/utilityProcess\.fork\([\s\S]*?core-worker\.cjs|core-worker\.cjs[\s\S]*?utilityProcess\.fork\(/);
  });
});
