/**
 * Issue 10 figures for encryption at rest, on a generated 5,000-school district (as the core
 * section makes it), encrypted in place as the upgrade does:
 * - open the encrypted file with the data key and answer the first schools page, beside the
 *   same on the plain file;
 * - the schools page's query through dispatch on the encrypted database, beside the very same
 *   SQL on a plain raw connection to the unencrypted file (goal: within 2.5×);
 * - the in-place encryption itself (the upgrade's wait), beside a plain VACUUM INTO copy;
 * - sign-in: the scrypt unwrap of the data key and the open, beside opening the plain file
 *   as the app did before accounts.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Compilable } from 'kysely';
import type { Ctx } from '../../core/context';
import { dispatch } from '../../core/dispatch';
import { encryptInPlace } from '../../db/atRest.node';
import { unwrap, wrapFor } from '../../core/accounts/keyring.node';
import { openStore, registerFunctions } from '../../db/open';
import type { Store } from '../../db/store';
import { generateRegion } from '../fixtures/generate';
import { timeMedian, type Reporter } from './report';

/** The schools page as it opens: the first 100 rows in the default order. */
const FIRST_PAGE = { limit: 100 } as const;
/** The page with a filter typed in (as the core section measures it). */
const FILTER = { search: 'сош', participant: 'participant', cohort_year: 2023, sort: 'short_name', dir: 'asc', limit: 100 } as const;

const ctxOf = (store: Store, dataDir: string): Ctx => ({ store, dataDir, emit: () => undefined });

async function listSchools(ctx: Ctx, input: object): Promise<void> {
  const r = await dispatch(ctx, 'schools.list', input);
  if (!r.ok) throw new Error(r.error.message);
}

interface Statement {
  sql: string;
  params: unknown[];
  all: boolean;
}

/** The SQL statements (with parameters) a call runs on a store. */
async function captureSql(store: Store, run: () => Promise<unknown>): Promise<Statement[]> {
  const seen: Statement[] = [];
  const { all, first } = store;
  store.all = <R>(q: Compilable<R>): R[] => {
    const c = q.compile();
    seen.push({ sql: c.sql, params: [...c.parameters], all: true });
    return all.call(store, q) as R[];
  };
  store.first = <R>(q: Compilable<R>): R | undefined => {
    const c = q.compile();
    seen.push({ sql: c.sql, params: [...c.parameters], all: false });
    return first.call(store, q) as R | undefined;
  };
  try {
    await run();
  } finally {
    store.all = all;
    store.first = first;
  }
  return seen;
}

/** One figure: the call through dispatch on the encrypted store beside its SQL on the plain raw connection. */
async function queryFigure(r: Reporter, name: string, encrypted: Ctx, raw: Database.Database, input: object): Promise<void> {
  const statements = await captureSql(encrypted.store, () => listSchools(encrypted, input));
  const prepared = statements.map((s) => ({ ...s, stmt: raw.prepare(s.sql) }));
  const runRaw = () => {
    for (const s of prepared) (s.all ? s.stmt.all(...s.params) : s.stmt.get(...s.params));
  };
  for (let i = 0; i < 5; i++) {
    await listSchools(encrypted, input);
    runRaw();
  }
  const viaDispatch = await timeMedian(30, () => listSchools(encrypted, input));
  const viaRaw = await timeMedian(30, runRaw);
  r.add({ name, value: viaDispatch, unit: 'мс', baseline: { name: 'тот же SQL на незашифрованной базе в raw better-sqlite3', value: viaRaw }, goal: '≤ 2.5×' });
}

export default async function atRest(r: Reporter): Promise<void> {
  r.section('Шифрование данных на ноутбуке: район 5 000 школ');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shnor-bench-at-rest-'));
  const plainDir = path.join(root, 'plain');
  const encDir = path.join(root, 'encrypted');
  const plainFile = path.join(plainDir, 'district.sqlite');
  const encFile = path.join(encDir, 'district.sqlite');
  const key = crypto.randomBytes(32);

  const gen = openStore(plainFile);
  const g = generateRegion(gen, { schools: 5000, people: 15000, seed: 500 });
  gen.close();
  console.log(`  генерация: ${JSON.stringify(g.counts)}, файл ${(fs.statSync(plainFile).size / 1048576).toFixed(1)} МБ`);

  // The upgrade's in-place encryption (plain copy + VACUUM INTO + rekey + rename), beside one plain VACUUM INTO.
  fs.mkdirSync(encDir, { recursive: true });
  const encryptMs = await timeMedian(3, () => {
    for (const f of fs.readdirSync(encDir)) fs.rmSync(path.join(encDir, f), { recursive: true, force: true });
    fs.copyFileSync(plainFile, encFile);
    encryptInPlace(encFile, key, path.join(encDir, 'backups'));
  });
  const copyMs = await timeMedian(3, () => {
    const copy = path.join(root, 'copy.sqlite');
    fs.rmSync(copy, { force: true });
    const db = new Database(plainFile, { readonly: true });
    db.prepare('VACUUM INTO ?').run(copy);
    db.close();
  });
  r.add({ name: 'зашифровать базу на месте при обновлении (копия + шифрование + замена)', value: encryptMs, unit: 'мс', baseline: { name: 'одна копия VACUUM INTO без шифрования', value: copyMs } });

  const openAndList = async (file: string, dataDir: string, withKey: boolean) => {
    const store = openStore(file, withKey ? { key } : {});
    await listSchools(ctxOf(store, dataDir), FIRST_PAGE);
    store.close();
  };
  await openAndList(encFile, encDir, true);
  await openAndList(plainFile, plainDir, false);
  const openEncrypted = await timeMedian(7, () => openAndList(encFile, encDir, true));
  const openPlain = await timeMedian(7, () => openAndList(plainFile, plainDir, false));
  r.add({ name: 'open encrypted district (5,000 schools): открыть с ключом + первая страница школ', value: openEncrypted, unit: 'мс', baseline: { name: 'та же база без шифрования', value: openPlain } });

  // Sign-in as the gate does it: scrypt unwraps the data key (core/accounts/keyring.node.ts), then the open.
  const account = await wrapFor({ id: 'bench', name: 'Бенчмарк', role: 'coordinator', personId: null, createdAt: new Date().toISOString() }, 'пароль для замера', key);
  const signIn = await timeMedian(7, async () => {
    const unwrapped = await unwrap(account, 'пароль для замера');
    if (!unwrapped?.equals(key)) throw new Error('ключ не развернулся');
    await openAndList(encFile, encDir, true);
  });
  r.add({ name: 'sign-in (key unwrap) + open encrypted district (5,000 schools) + первая страница школ', value: signIn, unit: 'мс', baseline: { name: 'открыть незашифрованную базу без входа, как до учётных записей', value: openPlain }, goal: '≤ 1 с' });

  const encrypted = ctxOf(openStore(encFile, { key }), encDir);
  const raw = new Database(plainFile);
  raw.pragma('journal_mode = WAL');
  registerFunctions(raw);
  try {
    await queryFigure(r, 'schools page query (encrypted): первая страница школ через dispatch', encrypted, raw, FIRST_PAGE);
    await queryFigure(r, 'schools page query (encrypted): фильтр «сош», участники, 2023 через dispatch', encrypted, raw, FILTER);
  } finally {
    raw.close();
    encrypted.store.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
