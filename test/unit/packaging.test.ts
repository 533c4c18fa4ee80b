/**
 * Packaging checks that run without the Electron runtime: the fuses the afterPack hook sets
 * (and that it really writes them into a binary), one Electron version written in one place,
 * and a deb that names everything Electron needs on Debian/Ubuntu — read through
 * electron-builder's own config loader, as `npm run dist` reads it.
 */
import { FuseState, SENTINEL } from '@electron/fuses/dist/constants';
import { FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve('.');
const require = createRequire(import.meta.url);

interface AfterPackModule {
  default: (context: unknown) => Promise<void>;
  FUSES: Record<string, unknown>;
  applyFuses(binary: string, platform: string): Promise<void>;
  electronBinary(context: { appOutDir: string; electronPlatformName: string; packager: { executableName?: string; appInfo: { productFilename: string } } }): string;
}
const afterPack = require('../../build/after-pack.cjs') as AfterPackModule;

describe('Electron fuses (build/after-pack.cjs)', () => {
  it('one config: no running as Node, no NODE_OPTIONS or --inspect, cookies encrypted, only our checked app.asar', () => {
    expect(afterPack.FUSES).toEqual({
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    });
  });

  it('writes them into the binary: a fuse wire set as Electron ships it comes out as configured', async () => {
    // Electron's defaults: RunAsNode, NODE_OPTIONS, --inspect and file:// privileges on; the rest off.
    const shipped = [1, 0, 1, 1, 0, 0, 0, 1].map((on) => (on ? FuseState.ENABLE : FuseState.DISABLE));
    const binary = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'shnor-fuses-')), 'shnor-500');
    fs.writeFileSync(binary, Buffer.concat([Buffer.alloc(4096, 7), Buffer.from(SENTINEL), Buffer.from([1, shipped.length, ...shipped]), Buffer.alloc(4096, 9)]));
    await afterPack.applyFuses(binary, 'linux');
    const wire = await getCurrentFuseWire(binary);
    const state = (fuse: FuseV1Options) => (wire as unknown as Record<number, number>)[fuse];
    expect(state(FuseV1Options.RunAsNode)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.EnableCookieEncryption)).toBe(FuseState.ENABLE);
    expect(state(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.EnableNodeCliInspectArguments)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe(FuseState.ENABLE);
    expect(state(FuseV1Options.OnlyLoadAppFromAsar)).toBe(FuseState.ENABLE);
    expect(state(FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe(FuseState.DISABLE);
    // Nothing around the wire was touched.
    const bytes = fs.readFileSync(binary);
    expect(bytes.length).toBe(4096 + SENTINEL.length + 2 + shipped.length + 4096);
    expect(bytes.subarray(0, 4096).every((b) => b === 7)).toBe(true);
  });

  it('flips the executable electron-builder wrote, as it names it per platform', () => {
    const packager = { executableName: 'shnor-500', appInfo: { productFilename: 'shnor-500' } };
    expect(afterPack.electronBinary({ appOutDir: '/out/linux-unpacked', electronPlatformName: 'linux', packager })).toBe(path.join('/out/linux-unpacked', 'shnor-500'));
    expect(afterPack.electronBinary({ appOutDir: '/out/win-unpacked', electronPlatformName: 'win32', packager })).toBe(path.join('/out/win-unpacked', 'shnor-500.exe'));
  });
});

describe('electron-builder.yml', async () => {
  const config = await getConfig(root, null, null);

  it('is valid for electron-builder and ships the core worker and the fuse hook', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    // Validation normalises `files` into file sets.
    const files = [config.files ?? []].flat().flatMap((f) => (typeof f === 'string' ? [f] : [f.filter ?? []].flat()));
    expect(files).toEqual(expect.arrayContaining(['dist/main/electron.cjs', 'dist/main/core-worker.cjs', 'dist/preload/preload.cjs']));
    expect(config.afterPack).toBe('build/after-pack.cjs');
    expect(config.asar).not.toBe(false);
  });

  it('the deb depends on everything Electron needs on Debian/Ubuntu', () => {
    const depends = config.deb?.depends ?? [];
    for (const pkg of ['libgtk-3-0', 'libnotify4', 'libnss3', 'libxss1', 'libxtst6', 'xdg-utils', 'libatspi2.0-0', 'libuuid1', 'libsecret-1-0', 'libgbm1', 'libasound2', 'libdrm2', 'libxkbcommon0', 'libcups2', 'libatk-bridge2.0-0']) {
      expect(depends, pkg).toContain(pkg);
    }
    expect(new Set(depends).size).toBe(depends.length);
  });
});

describe('one Electron version, written once', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string>; dependencies: Record<string, string> };
  const pinned = pkg.devDependencies.electron!;

  it('package.json pins it exactly (a devDependency), and that version is what is installed', () => {
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.dependencies.electron).toBeUndefined();
    const installed = JSON.parse(fs.readFileSync(require.resolve('electron/package.json'), 'utf8')) as { version: string };
    expect(installed.version).toBe(pinned);
  });

  it('the packaging config and the code that starts or packages Electron read it instead of restating it', async () => {
    expect((await getConfig(root, null, null)).electronVersion).toBeUndefined();
    const files = ['electron-builder.yml', ...['build', 'main/electron'].flatMap((d) => fs.readdirSync(path.join(root, d)).map((f) => path.join(d, f)))].filter((f) => /\.(ya?ml|m?js|cjs|ts)$/.test(f));
    const restating = files.filter((f) => fs.readFileSync(path.join(root, f), 'utf8').includes(pinned));
    expect(restating).toEqual([]);
    expect(files).toContain(path.join('main', 'electron', 'runtime.ts'));
  });
});
