/**
 * `npm start` where the Electron runtime is missing: one Russian line, then browser mode on
 * the given data folder; and how the runtime is detected without triggering its download.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findElectronRuntime } from '../../main/electron/runtime';
import { DB_FILE } from '../../main/paths';
import { DEMO_PASSWORDS } from '../../core/accounts/demoAccounts.node';
import { tempDir } from './coreFixture';

function fakeCheckout(files: Record<string, string>): string {
  const root = tempDir('shnor-root-');
  fs.writeFileSync(path.join(root, 'package.json'), '{"name":"x"}');
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

describe('findElectronRuntime', () => {
  const pkg = { 'node_modules/electron/package.json': '{"name":"electron","version":"45.4.1"}' };

  it('finds nothing when the package was installed without its binary (the lazy download never ran)', () => {
    expect(findElectronRuntime(fakeCheckout(pkg), {})).toBeNull();
    expect(findElectronRuntime(fakeCheckout({ ...pkg, 'node_modules/electron/path.txt': 'electron' }), {})).toBeNull();
    expect(findElectronRuntime(fakeCheckout({}), {})).toBeNull();
  });

  it('finds the binary the download left behind, and honours ELECTRON_OVERRIDE_DIST_PATH', () => {
    const root = fakeCheckout({ ...pkg, 'node_modules/electron/path.txt': 'electron', 'node_modules/electron/dist/electron': '' });
    expect(findElectronRuntime(root, {})).toEqual({ binary: path.join(root, 'node_modules/electron/dist/electron'), version: '45.4.1' });
    expect(findElectronRuntime(root, { ELECTRON_OVERRIDE_DIST_PATH: path.join(root, 'nowhere') })).toBeNull();
  });
});

describe('npm start without Electron', () => {
  it('says so in one Russian line and serves browser mode on --data', async () => {
    const entry = path.resolve('dist/main/start.js');
    if (!fs.existsSync(entry)) throw new Error('dist/main/start.js не собран: выполните npm run build.');
    const data = tempDir('shnor-start-');
    // An empty override makes the runtime missing even on a machine that has Electron.
    const child = spawn(process.execPath, [entry, '--data', data, '--port', '0', '--demo', '--no-open'], {
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: path.join(data, 'no-electron'), CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`нет адреса за 20 с:\n${out}`)), 20_000);
        const onData = (d: Buffer) => {
          out += d.toString();
          const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        };
        child.stdout!.on('data', onData);
        child.stderr!.on('data', onData);
        child.once('exit', (code) => reject(new Error(`завершился с кодом ${code}:\n${out}`)));
      });
      const lines = out.trim().split('\n');
      expect(lines[0]).toBe('Electron недоступен на этом компьютере — запускаю браузерный режим.');
      expect(lines.filter((l) => /Electron/.test(l))).toHaveLength(1);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      const token = new URL(url).searchParams.get('token')!;
      const api = async <T>(name: string, input: unknown) =>
        (await (await fetch(new URL(`/api/call/${name}`, url), { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify(input) })).json()) as {
          ok: boolean;
          value: T;
        };
      // --demo passed through: the demo district with its accounts, locked until one signs in.
      const state = await api<{ status: string; accounts: { id: string; role: string }[] }>('auth.state', {});
      expect(state.value.status).toBe('locked');
      const coordinator = state.value.accounts.find((a) => a.role === 'coordinator')!;
      expect((await api('auth.signIn', { accountId: coordinator.id, password: DEMO_PASSWORDS.coordinator })).ok).toBe(true);
      const info = await api<{ dataDir: string; district: { name: string } | null }>('app.info', {});
      expect(info.ok).toBe(true);
      expect(info.value.dataDir).toBe(data);
      expect(info.value.district).not.toBeNull();
      expect(fs.existsSync(path.join(data, DB_FILE))).toBe(true);
    } finally {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    }
  });
});
