/** Child process of the SIGKILL test: imports one package file into one database. */
import fs from 'node:fs';
import { importPackage } from '../../core/sync/local.node';
import { openStore } from '../../db/open';

const [dbFile, dataDir, pkgFile] = process.argv.slice(2) as [string, string, string];
const store = openStore(dbFile);
process.stdout.write('opened\n');
const t0 = performance.now();
const r = importPackage(store, dataDir, new Uint8Array(fs.readFileSync(pkgFile)));
const ms = Math.round(performance.now() - t0);
store.close();
process.stdout.write(`done ${r.applied} in ${ms} ms\n`);
