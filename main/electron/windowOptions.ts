/**
 * The BrowserWindow options, in one exported function the tests check. Type-only use of
 * `electron` (erased at build time), so importing this module never loads Electron.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1366,
    height: 860,
    minWidth: 960,
    minHeight: 600,
    title: '500+ Адресная помощь',
    backgroundColor: '#ffffff',
    // Shown once the first paint is ready, so the user never sees a white flash.
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      // The renderer is untrusted web content: isolated world, OS sandbox, no Node.
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    },
  };
}
