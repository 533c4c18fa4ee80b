/**
 * The region's web page, served by the regional server (server-rendered, no scripts):
 *
 *   GET  /region[?date=YYYY-MM-DD]  districts with their last sync; expertise and curator engagement summaries
 *                                   across all districts; for administrators also devices, accounts and the audit log
 *   POST /region/login              form fields `name`, `password` → a session cookie (throttled, see regionAccounts.ts)
 *   POST /region/logout             ends the session on the server and forgets the cookie
 *   administrators only (each action goes to the audit log):
 *   POST /region/enrol-file         multipart field `request` = a laptop's enrolment request file → its reply package
 *   POST /region/districts          `name` → a new district
 *   POST /region/codes              `district` → a one-time enrolment code, shown once
 *   POST /region/revoke             `device` → the device may no longer sync
 *   POST /region/accounts           `name`, `role`, `password` → a new account
 *   POST /region/accounts/change    `user`, `role`, `password` (optional), `action` = save|disable|enable
 *
 * Each regional user signs in with their own name and password: региональный администратор
 * (all of the above) or региональный координатор (reads the page). The cookie holds a random
 * session id, kept on the server only as a hash; `Authorization: Bearer <admin key>` still
 * opens the page for scripts. Every text is escaped; the page's CSP (set for the whole hub in
 * server/http.ts) allows no scripts at all. Forms are bounded as they arrive: an oversize or
 * malformed form gets a page saying so (413/400), never a dropped connection.
 */
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { countOf, formatDate, formatDateTime, parseRuDate, percentLabel, personShort } from '../core/format';
import { ROLE_NAMES } from '../core/rules/permissions';
import { qb } from '../db/store';
import { DEFAULT_TIME_ZONE as REGION_TIME_ZONE } from '../core/rules/today';
import { HttpRefusal, russianFrameworkError } from '../core/http/fastify.node';
import type { EngagementSummary } from '../core/monitoring/monitoring';
import type { ExpertiseSummary } from '../core/monitoring/summary';
import { escapeHtml as esc } from '../core/reports/html';
import { BAND_LABELS } from '../core/rules/engagement';
import { HubError, type Hub } from './hub';
import { API_KEY_ACTOR, MIN_PASSWORD, REGION_ROLES, ROLE_LABELS, type RegionAccounts, type RegionRole, type RegionUser } from './regionAccounts';
import { readModelOf, type DistrictView, type EngagementTotals, type RegionView } from './readModel';
import { codeForAccount, districtAccounts as listDistrictAccounts } from './accounts';
import type { DistrictRole } from './schema';

const COOKIE = 'region_view';
/** The cookie outlives the idle limit; the server ends the session itself (regionAccounts.ts). */
const SESSION_COOKIE_SECONDS = 7 * 86_400;
/** A district silent for longer than this is flagged on the page. */
const STALE_DAYS = 14;
const MAX_FORM = 4096;
const MAX_UPLOAD = 128 * 1024;

export { readModelOf } from './readModel';

/** Who asks: the admin key's holder (scripts), a signed-in user, or nobody. */
async function regionViewer(hub: Hub, accounts: RegionAccounts, req: FastifyRequest): Promise<RegionUser | null> {
  const auth = req.headers.authorization ?? '';
  if (auth.startsWith('Bearer ') && hub.isAdmin(auth.slice(7))) return { id: '', name: API_KEY_ACTOR, role: 'admin' };
  return accounts.session(req.cookies[COOKIE]);
}

function sendHtml(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
}

const notFoundPage = () => shell('Нет такой страницы', `<main class="narrow"><h1>Нет такой страницы</h1><p><a href="/region">Региональный обзор</a></p></main>`);
const enrolRefusedPage = (message: string) =>
  shell('Подключение через файл', `<main class="narrow"><h1>Запрос подключения не принят</h1><p class="error" role="alert">${esc(message)}</p><p><a href="/region#enrol-file">Вернуться к обзору</a></p></main>`);

/** The uploaded request file: the one file part named `request`, at most MAX_UPLOAD bytes; null when absent. */
async function uploadedRequest(req: FastifyRequest): Promise<Buffer | null> {
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file' && part.fieldname === 'request') return await part.toBuffer();
      if (part.type === 'file') part.file.resume();
    }
    return null;
  } catch (e) {
    // The parser's own complaints (a truncated or malformed form) are the sender's fault; limits keep their 413.
    if (russianFrameworkError(e)) throw e;
    throw new HttpRefusal(400, 'bad_form', 'Форма повреждена: выберите файл запроса подключения и отправьте её ещё раз.');
  }
}

/** The coordinator uploads a laptop's enrolment request file; the answer is the reply file to carry back. */
async function enrolFromForm(hub: Hub, accounts: RegionAccounts, actor: RegionUser, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  if (!req.isMultipart()) return sendHtml(reply, 400, enrolRefusedPage('Выберите файл запроса подключения, сохранённый на ноутбуке.'));
  const file = await uploadedRequest(req);
  if (!file || file.length === 0) return sendHtml(reply, 400, enrolRefusedPage('Выберите файл запроса подключения, сохранённый на ноутбуке.'));
  try {
    const { reply: bytes, district, device } = await hub.enrolFromFile(new Uint8Array(file));
    await accounts.audit(actor.name, 'Подключение через файл', `${district.name}: устройство ${device}`);
    const name = `ответ-подключения-${district.name}.shnor`.replace(/[\\/:*?"<>|]/g, '_');
    return reply
      .code(200)
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="reply.shnor"; filename*=UTF-8''${encodeURIComponent(name)}`)
      .type('application/octet-stream')
      .send(Buffer.from(bytes));
  } catch (e) {
    if (e instanceof HubError) return sendHtml(reply, e.status, enrolRefusedPage(e.message));
    throw e;
  }
}

/** A refused form or request as a page: the login form with the reason, the upload's refusal, or a plain page. */
function errorPage(req: FastifyRequest, status: number, message: string): string {
  const path = req.url.split('?')[0];
  if (path === '/region/login') return loginPage(status === 413 ? 'Слишком большой запрос.' : message);
  if (path !== '/region/enrol-file' && path?.startsWith('/region/')) return actionPage('Действие не выполнено', status === 413 ? 'Слишком большой запрос.' : message, true);
  if (path === '/region/enrol-file') return enrolRefusedPage(status === 413 ? 'Файл слишком большой: это не файл запроса подключения.' : `Форма не принята: ${message}`);
  return shell('Запрос не принят', `<main class="narrow"><h1>Запрос не принят</h1><p class="error" role="alert">${esc(message)}</p><p><a href="/region">Региональный обзор</a></p></main>`);
}

/** A real calendar date typed as ДД.ММ.ГГГГ (the page's field) or YYYY-MM-DD (a link), as 'YYYY-MM-DD'; else null. */
function dateParam(s: string | undefined): string | null {
  if (!s) return null;
  const t = s.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return parseRuDate(`${t.slice(8, 10)}.${t.slice(5, 7)}.${t.slice(0, 4)}`);
  return parseRuDate(t);
}

const ADMIN_ACTIONS = ['/region/enrol-file', '/region/districts', '/region/codes', '/region/account-code', '/region/revoke', '/region/accounts', '/region/accounts/change'] as const;
const ROUTES: Record<string, string> = { '/region': 'GET', '/region/login': 'POST', '/region/logout': 'POST', ...Object.fromEntries(ADMIN_ACTIONS.map((a) => [a, 'POST'])) };

const field = (req: FastifyRequest, name: string): string => {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.trim() : '';
};
const roleField = (req: FastifyRequest): RegionRole | null => REGION_ROLES.find((r) => r === field(req, 'role')) ?? null;

/** Registers /region and /region/* on the hub's Fastify app (in their own plugin context: forms, cookies, HTML errors). */
export async function registerRegionPage(app: FastifyInstance, hub: Hub, accounts: RegionAccounts): Promise<void> {
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: MAX_FORM });
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD, files: 1, fields: 4, parts: 5, fieldSize: 1024, headerPairs: 20 } });
  app.setErrorHandler((error, req, reply) => {
    if (error instanceof HubError) return sendHtml(reply, error.status, errorPage(req, error.status, error.message));
    const known = russianFrameworkError(error);
    if (known) return sendHtml(reply, known.status, errorPage(req, known.status, known.message));
    console.error('[region]', req.method, req.url, error);
    return sendHtml(reply, 500, errorPage(req, 500, 'Внутренняя ошибка сервера: повторите позже.'));
  });
  const cookieOptions = (req: FastifyRequest, maxAge: number) => ({
    path: '/region',
    httpOnly: true,
    sameSite: 'strict' as const,
    maxAge,
    secure: req.protocol === 'https' || req.headers['x-forwarded-proto'] === 'https',
  });

  app.post('/region/login', { bodyLimit: MAX_FORM }, async (req, reply) => {
    const name = field(req, 'name');
    const password = (req.body as Record<string, unknown> | undefined)?.password;
    if (!name || typeof password !== 'string' || !password) return sendHtml(reply, 401, loginPage('Введите имя и пароль.', name));
    const r = await accounts.signIn(name, password, req.ip);
    if (!r.ok) return sendHtml(reply, r.status, loginPage(r.message, name));
    return reply.setCookie(COOKIE, r.sessionId, cookieOptions(req, SESSION_COOKIE_SECONDS)).redirect('/region', 303);
  });
  app.post('/region/logout', { bodyLimit: MAX_FORM }, async (req, reply) => {
    await accounts.signOut(req.cookies[COOKIE]);
    return reply.setCookie(COOKIE, '', cookieOptions(req, 0)).redirect('/region', 303);
  });

  /** An administrator's action: anyone else gets the login form (401) or a refusal (403). */
  const adminAction = (url: (typeof ADMIN_ACTIONS)[number], bodyLimit: number, run: (actor: RegionUser, req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>) =>
    app.post(url, { bodyLimit }, async (req, reply) => {
      const user = await regionViewer(hub, accounts, req);
      if (!user) return sendHtml(reply, 401, loginPage(null));
      if (user.role !== 'admin') return sendHtml(reply, 403, actionPage('Нет прав', 'Это действие доступно только региональному администратору.', true));
      return run(user, req, reply);
    });
  const done = (reply: FastifyReply, title: string, message: string) => sendHtml(reply, 200, actionPage(title, message, false));

  adminAction('/region/enrol-file', MAX_UPLOAD + MAX_FORM, (actor, req, reply) => enrolFromForm(hub, accounts, actor, req, reply));
  adminAction('/region/districts', MAX_FORM, async (actor, req, reply) => {
    const name = field(req, 'name');
    if (!name || name.length > 200) return sendHtml(reply, 400, actionPage('Район не создан', 'Введите название района (до 200 знаков).', true));
    const d = await hub.createDistrict(name);
    await accounts.audit(actor.name, 'Район создан', d.name);
    return done(reply, 'Район создан', `Район «${d.name}» создан. Выдайте код подключения для ноутбука координатора района.`);
  });
  adminAction('/region/codes', MAX_FORM, async (actor, req, reply) => {
    const district = await hub.district(field(req, 'district'));
    const { code, expiresAt } = await hub.createCode(district.id);
    await accounts.audit(actor.name, 'Выдан код подключения', district.name);
    return sendHtml(reply, 200, codePage(district.name, code, expiresAt));
  });
  adminAction('/region/account-code', MAX_FORM, async (actor, req, reply) => {
    const account = await hub.db.selectFrom('accounts').select(['id']).where('id', '=', field(req, 'account')).executeTakeFirst();
    if (!account) return sendHtml(reply, 404, actionPage('Код не выдан', 'Учётная запись района не найдена.', true));
    const { code, expiresAt, districtId } = await codeForAccount(hub.db, account.id);
    const district = await hub.district(districtId);
    await accounts.audit(actor.name, 'Выдан код для учётной записи района', `${district.name}: ${account.id}`);
    return sendHtml(reply, 200, codePage(district.name, code, expiresAt, 'Код входа для этой учётной записи: на новом ноутбуке или взамен забытого пароля. Данные, отправленные на сервер, придут на ноутбук с первой синхронизацией.'));
  });
  adminAction('/region/revoke', MAX_FORM, async (actor, req, reply) => {
    const id = field(req, 'device');
    const device = await hub.db.selectFrom('devices').innerJoin('districts', 'districts.id', 'devices.district_id').select(['devices.name', 'districts.name as district']).where('devices.id', '=', id).executeTakeFirst();
    await hub.revokeDevice(id);
    await accounts.audit(actor.name, 'Устройство отключено', `${device?.district ?? ''}: ${device?.name ?? id}`);
    return done(reply, 'Устройство отключено', `Устройство «${device?.name ?? id}» больше не сможет синхронизироваться.`);
  });
  adminAction('/region/accounts', MAX_FORM, async (actor, req, reply) => {
    const role = roleField(req);
    if (!role) return sendHtml(reply, 400, actionPage('Учётная запись не создана', 'Выберите роль.', true));
    const password = (req.body as Record<string, unknown> | undefined)?.password;
    const user = await accounts.createUser(actor.name, field(req, 'name'), role, typeof password === 'string' ? password : '');
    return done(reply, 'Учётная запись создана', `«${user.name}» (${ROLE_LABELS[user.role]}) может войти со своим паролем.`);
  });
  adminAction('/region/accounts/change', MAX_FORM, async (actor, req, reply) => {
    const action = field(req, 'action');
    const password = (req.body as Record<string, unknown> | undefined)?.password;
    await accounts.changeUser(actor.name, field(req, 'user'), {
      ...(action === 'save' ? { role: roleField(req) ?? undefined, password: typeof password === 'string' && password ? password : undefined } : {}),
      ...(action === 'disable' ? { disabled: true } : action === 'enable' ? { disabled: false } : {}),
    });
    return done(reply, 'Учётная запись изменена', 'Изменения сохранены; при новом пароле или отключении её сеансы закончены.');
  });

  app.get('/region', async (req, reply) => {
    const user = await regionViewer(hub, accounts, req);
    if (!user) return sendHtml(reply, 401, loginPage(null));
    const query = req.query as Record<string, unknown>;
    const raw = typeof query.date === 'string' ? query.date : null;
    const date = dateParam(raw ?? undefined);
    const dateError = raw && !date ? 'Введите дату в формате ДД.ММ.ГГГГ.' : null;
    let view: RegionView;
    try {
      view = await readModelOf(hub).view(date ?? undefined);
    } catch (e) {
      console.error('[region]', e);
      return sendHtml(reply, 500, shell('Ошибка', `<main class="narrow"><h1>Обзор не собран</h1><p class="error">Не удалось прочитать данные районов: ${esc(e instanceof Error ? e.message : String(e))}</p><p><a href="/region">Повторить</a></p></main>`));
    }
    const admin = user.role === 'admin' ? await adminData(hub, accounts) : null;
    return sendHtml(reply, 200, regionPage(view, { dateError, rawDate: raw, user, admin }));
  });
  for (const [url, method] of Object.entries(ROUTES)) {
    // Fastify answers HEAD wherever there is a GET.
    const others = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].filter((m) => m !== method && !(method === 'GET' && m === 'HEAD'));
    app.route({
      method: others,
      url,
      handler: async (_req, reply) => sendHtml(reply.header('allow', method === 'GET' ? 'GET, HEAD' : method), 405, shell('Метод не поддерживается', `<main class="narrow"><h1>Этот адрес так не открывается</h1><p><a href="/region">Региональный обзор</a></p></main>`)),
    });
  }
  app.all('/region/*', async (_req, reply) => sendHtml(reply, 404, notFoundPage()));
}

// ---------------------------------------------------------------- HTML

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"PT Sans",Arial,sans-serif;color:#1f2933;background:#f4f6f8}
header.top{background:#1d3f66;color:#fff;padding:10px 24px;display:flex;align-items:center;gap:16px}
header.top .brand{font-weight:700;font-size:16px}header.top .sub{opacity:.85}
header.top form{margin-left:auto}
select{font:inherit;padding:6px 8px;border:1px solid #9aa8b6;border-radius:4px}
form.inline{display:flex;gap:6px;flex-wrap:wrap;align-items:center}form.inline input{min-width:10em}
.code{font:700 24px/1.4 ui-monospace,Consolas,monospace;letter-spacing:2px;background:#fff;border:1px solid #d5dde5;border-radius:6px;padding:10px 14px;text-align:center}
header.top button{background:transparent;color:#fff;border:1px solid rgba(255,255,255,.6);border-radius:4px;padding:4px 12px;font:inherit;cursor:pointer}
main{max-width:1240px;margin:0 auto;padding:16px 24px 48px}
main.narrow{max-width:440px;margin-top:8vh}
h1{font-size:22px;margin:8px 0 4px}h2{font-size:18px;margin:28px 0 8px;padding-bottom:4px;border-bottom:2px solid #d5dde5}
h3{font-size:15px;margin:18px 0 6px}
p{margin:4px 0 8px}.muted{color:#5b6b7b}
.card{background:#fff;border:1px solid #d5dde5;border-radius:6px;padding:16px 18px;margin:10px 0}
.filters{display:flex;align-items:flex-end;gap:12px;flex-wrap:wrap}
.field{display:flex;flex-direction:column;gap:4px}
.field label{font-weight:600;font-size:13px}
input{font:inherit;padding:6px 8px;border:1px solid #9aa8b6;border-radius:4px;min-width:12em}
input[aria-invalid=true]{border-color:#b42318}
.field-error{color:#b42318;font-size:13px}
button.primary{font:inherit;background:#1d5fa8;color:#fff;border:0;border-radius:4px;padding:7px 16px;cursor:pointer}
button:focus-visible,input:focus-visible,summary:focus-visible,a:focus-visible{outline:2px solid #f0a500;outline-offset:2px}
table{border-collapse:collapse;width:100%;background:#fff;margin:6px 0 12px}
th,td{border:1px solid #d5dde5;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#eef2f6;font-weight:600;font-size:13px}
td.n,th.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
tr.total td{font-weight:700;background:#f7f9fb}
.kpis{display:flex;gap:12px;flex-wrap:wrap;margin:8px 0}
.kpi{background:#fff;border:1px solid #d5dde5;border-radius:6px;padding:10px 14px;min-width:170px}
.kpi b{display:block;font-size:22px;color:#1d3f66}.kpi span{color:#5b6b7b;font-size:13px}
.bar{display:inline-block;height:10px;background:#4a86c5;border-radius:2px;vertical-align:middle;margin-right:6px}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;white-space:nowrap}
.badge.warn{background:#fff1d6;color:#8a5300}.badge.none{background:#eceff3;color:#5b6b7b}.badge.ok{background:#e3f4e8;color:#1e6b34}
.two{display:grid;grid-template-columns:1fr 1fr;gap:20px}
@media (max-width:900px){.two{grid-template-columns:1fr}}
details{background:#fff;border:1px solid #d5dde5;border-radius:6px;margin:6px 0;padding:0 12px}
details summary{cursor:pointer;padding:8px 0;font-weight:600}
details table{margin-top:0}
.empty{background:#fff;border:1px dashed #9aa8b6;border-radius:6px;padding:18px;color:#5b6b7b;text-align:center}
.error{color:#b42318;font-weight:600}
@media print{header.top form,.filters button{display:none}body{background:#fff}details{border:0}details>*{display:block}}
`;

function shell(title: string, body: string): string {
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title><style>${CSS}</style></head><body>${body}</body></html>`;
}

function loginPage(error: string | null, name = ''): string {
  const invalid = error ? ' aria-invalid="true" aria-describedby="login-error"' : '';
  return shell(
    'Вход — региональный обзор «500+»',
    `<header class="top"><span class="brand">500+ · Адресная помощь</span><span class="sub">Региональный сервер</span></header>
<main class="narrow"><div class="card">
<h1>Региональный обзор</h1>
<p class="muted">Войдите со своим именем и паролем. Учётные записи выдаёт региональный администратор.</p>
<form method="post" action="/region/login">
<div class="field"><label for="name">Имя</label>
<input id="name" name="name" type="text" autocomplete="username" required autofocus value="${esc(name)}"${invalid}></div>
<div class="field"><label for="password">Пароль</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${invalid}></div>
${error ? `<p class="field-error" id="login-error" role="alert">${esc(error)}</p>` : ''}
<p><button class="primary" type="submit">Войти</button></p>
</form></div></main>`,
  );
}

/** The answer to an administrator's form: what was done, or why not. */
function actionPage(title: string, message: string, refused: boolean): string {
  return shell(title, `<main class="narrow"><h1>${esc(title)}</h1><p${refused ? ' class="error" role="alert"' : ' role="status"'}>${esc(message)}</p><p><a href="/region#admin">Вернуться к обзору</a></p></main>`);
}

function codePage(district: string, code: string, expiresAt: string, purpose = 'Код показан один раз: передайте его координатору района.'): string {
  return shell(
    'Код подключения',
    `<main class="narrow"><h1>Код подключения</h1><p>Район «${esc(district)}». ${esc(purpose)}</p>
<p class="code" id="code">${esc(code)}</p><p class="muted">Действует до ${esc(formatDateTime(new Date(expiresAt), REGION_TIME_ZONE))}, подключает один ноутбук.</p><p><a href="/region#admin">Вернуться к обзору</a></p></main>`,
  );
}

/** What an administrator sees beyond the overview: devices to revoke, accounts, the audit log. */
interface AdminData {
  districts: { id: string; name: string }[];
  devices: { id: string; name: string; district: string; enrolled_at: string; revoked_at: string | null; last_seen_at: string | null }[];
  users: Awaited<ReturnType<RegionAccounts['listUsers']>>;
  /** The districts' accounts (people of the districts who sign in on laptops), with their person's name where the district's data names it. */
  districtAccounts: { id: string; district: string; person: string; role: DistrictRole; devices: number; revoked_at: string | null }[];
  audit: Awaited<ReturnType<RegionAccounts['auditLog']>>;
}

async function adminData(hub: Hub, accounts: RegionAccounts): Promise<AdminData> {
  const devices = await hub.db
    .selectFrom('devices')
    .innerJoin('districts', 'districts.id', 'devices.district_id')
    .select(['devices.id', 'devices.name', 'districts.name as district', 'devices.enrolled_at', 'devices.revoked_at', 'devices.last_seen_at'])
    .orderBy('districts.name')
    .orderBy('devices.enrolled_at')
    .execute();
  const districts = await hub.listDistricts();
  const districtAccounts: AdminData['districtAccounts'] = [];
  for (const d of districts) {
    const rows = await listDistrictAccounts(hub.db, d.id);
    if (!rows.length) continue;
    const names = await readModelOf(hub).withReplica(d.id, (replica) => {
      const people = replica.all(qb.selectFrom('people').select(['id', 'last_name', 'first_name', 'middle_name']).where('id', 'in', rows.map((r) => r.person_id ?? '')));
      return new Map(people.map((p) => [p.id, personShort(p)]));
    });
    for (const r of rows) districtAccounts.push({ id: r.id, district: d.name, person: (r.person_id && names.get(r.person_id)) || '—', role: r.role, devices: Number(r.devices), revoked_at: r.revoked_at });
  }
  return { districts, devices, users: await accounts.listUsers(), audit: await accounts.auditLog(), districtAccounts };
}

const when = (iso: string | null): string => (iso ? esc(formatDateTime(new Date(iso), REGION_TIME_ZONE)) : '—');
const roleOptions = (selected: RegionRole | null) => REGION_ROLES.map((r) => `<option value="${r}"${r === selected ? ' selected' : ''}>${esc(ROLE_LABELS[r])}</option>`).join('');

function adminSections(a: AdminData, me: RegionUser): string {
  const districtOptions = a.districts.map((d) => `<option value="${esc(d.id)}">${esc(d.name)}</option>`).join('');
  const devices = a.devices.length
    ? `<table><thead><tr><th>Район</th><th>Устройство</th><th>Подключено</th><th>Последний обмен</th><th></th></tr></thead><tbody>${a.devices
        .map(
          (d) =>
            `<tr><td>${esc(d.district)}</td><td>${esc(d.name)}</td><td>${when(d.enrolled_at)}</td><td>${when(d.last_seen_at)}</td><td>${
              d.revoked_at
                ? `<span class="badge none">отключено ${when(d.revoked_at)}</span>`
                : `<form method="post" action="/region/revoke"><input type="hidden" name="device" value="${esc(d.id)}"><button type="submit">Отключить</button></form>`
            }</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '<div class="empty">Подключённых устройств пока нет.</div>';
  const users = a.users
    .map(
      (u) => `<tr><td>${esc(u.name)}${u.id === me.id ? ' <span class="muted">(вы)</span>' : ''}</td><td>${u.disabled_at ? `<span class="badge none">отключена ${when(u.disabled_at)}</span>` : '<span class="badge ok">действует</span>'}</td>
<td><form method="post" action="/region/accounts/change" class="inline"><input type="hidden" name="user" value="${esc(u.id)}">
<select name="role" aria-label="Роль ${esc(u.name)}">${roleOptions(u.role)}</select>
<input name="password" type="password" autocomplete="new-password" minlength="${MIN_PASSWORD}" placeholder="новый пароль" aria-label="Новый пароль ${esc(u.name)}">
<button type="submit" name="action" value="save">Сохранить</button>
<button type="submit" name="action" value="${u.disabled_at ? 'enable' : 'disable'}">${u.disabled_at ? 'Включить' : 'Отключить'}</button></form></td></tr>`,
    )
    .join('');
  const audit = a.audit.length
    ? `<table><thead><tr><th>Когда</th><th>Кто</th><th>Действие</th><th>Подробности</th></tr></thead><tbody>${a.audit
        .map((e) => `<tr><td>${when(e.at)}</td><td>${esc(e.actor)}</td><td>${esc(e.action)}</td><td>${esc(e.detail)}</td></tr>`)
        .join('')}</tbody></table>`
    : '<div class="empty">Действий администраторов пока не было.</div>';
  return `<h2 id="admin">Администрирование</h2>
<div class="two"><form method="post" action="/region/districts" class="card filters"><div class="field"><label for="district-name">Новый район</label><input id="district-name" name="name" required maxlength="200"></div><button class="primary" type="submit">Создать район</button></form>
<form method="post" action="/region/codes" class="card filters"><div class="field"><label for="code-district">Код подключения для района</label><select id="code-district" name="district" required>${districtOptions}</select></div><button class="primary" type="submit"${a.districts.length ? '' : ' disabled'}>Выдать код</button></form></div>
<h3>Устройства</h3>${devices}
<h3>Учётные записи районов</h3>${districtAccountsTable(a.districtAccounts)}
<h3>Учётные записи</h3>
<table><thead><tr><th>Имя</th><th>Состояние</th><th>Роль и пароль</th></tr></thead><tbody>${users}</tbody></table>
<form method="post" action="/region/accounts" class="card filters">
<div class="field"><label for="account-name">Имя для входа</label><input id="account-name" name="name" required maxlength="60" autocomplete="off"></div>
<div class="field"><label for="account-role">Роль</label><select id="account-role" name="role">${roleOptions('coordinator')}</select></div>
<div class="field"><label for="account-password">Пароль (не меньше ${MIN_PASSWORD} знаков)</label><input id="account-password" name="password" type="password" required minlength="${MIN_PASSWORD}" autocomplete="new-password"></div>
<button class="primary" type="submit">Создать учётную запись</button></form>
<h3>Журнал действий</h3>${audit}`;
}

function districtAccountsTable(rows: AdminData['districtAccounts']): string {
  if (!rows.length) return '<div class="empty">Учётных записей районов пока нет: они появляются, когда ноутбук подключается по коду.</div>';
  return `<table><thead><tr><th>Район</th><th>Человек</th><th>Роль</th><th>Ноутбуков</th><th></th></tr></thead><tbody>${rows
    .map(
      (r) =>
        `<tr><td>${esc(r.district)}</td><td>${esc(r.person)}</td><td>${esc(ROLE_NAMES[r.role])}</td><td class="n">${num(r.devices)}</td><td>${
          r.revoked_at
            ? `<span class="badge none">отключена ${when(r.revoked_at)}</span>`
            : r.role === 'coordinator'
              ? `<form method="post" action="/region/account-code"><input type="hidden" name="account" value="${esc(r.id)}"><button type="submit" title="Для нового ноутбука координатора или взамен забытого пароля">Новый код</button></form>`
              : '<span class="muted">коды выдаёт координатор</span>'
        }</td></tr>`,
    )
    .join('')}</tbody></table>`;
}

const pct = (n: number | null): string => (n === null ? '—' : `${n}%`);
const num = (n: number): string => n.toLocaleString('ru-RU');
const bar = (percent: number): string => `<span class="bar" style="width:${Math.max(0, Math.min(100, Math.round(percent)))}px"></span>`;

function lastSyncCell(iso: string | null, now: Date): string {
  if (!iso) return '<span class="badge none">ещё не было</span>';
  const d = new Date(iso);
  const days = (now.getTime() - d.getTime()) / 86_400_000;
  const when = esc(formatDateTime(d, REGION_TIME_ZONE));
  return days > STALE_DAYS ? `${when} <span class="badge warn">более ${STALE_DAYS} дней назад</span>` : when;
}

function districtsTable(v: RegionView, now: Date): string {
  if (v.districts.length === 0) {
    return `<div class="empty">Районов пока нет. Администратор региона создаёт район и выдаёт код подключения в разделе «Администрирование» (или через API: POST /api/admin/districts, затем /api/admin/districts/:id/codes).</div>`;
  }
  const rows = v.districts
    .map((d) => {
      const e = d.engagement;
      return `<tr><td>${esc(d.name)}</td><td class="n">${num(d.activeDevices)}${d.devices !== d.activeDevices ? ` <span class="muted">(отключено: ${num(d.devices - d.activeDevices)})</span>` : ''}</td>
<td>${lastSyncCell(d.lastSync, now)}</td><td class="n">${num(d.changes)}</td><td class="n">${num(d.schools)}</td><td class="n">${num(d.expertise.programmes)}</td>
<td class="n">${num(d.expertise.assessed)}</td><td class="n">${e ? `${num(e.active)} из ${num(e.curators.length)}` : '—'}</td></tr>`;
    })
    .join('');
  return `<table><thead><tr><th>Район</th><th class="n">Устройства</th><th>Последняя синхронизация</th><th class="n">Принято изменений</th><th class="n">Школ</th><th class="n">АРП</th><th class="n">Оценено АРП</th><th class="n">Активные кураторы</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function criteriaTable(s: ExpertiseSummary): string {
  const rows = s.criteria.map((c) => `<tr><td>${esc(c.title)}</td><td class="n">${num(c.count)}</td><td class="n">${c.percent === null ? '—' : `${bar(c.percent)}${pct(c.percent)}`}</td></tr>`).join('');
  return `<table><thead><tr><th>Критерий</th><th class="n">Программ</th><th class="n">Доля оценённых</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function distributionTable(title: string, rows: ExpertiseSummary['planDistribution'], total: number): string {
  const body = rows.map((d) => `<tr><td>${esc(d.label)}</td><td class="n">${num(d.count)}</td><td class="n">${bar(d.percent)}${pct(d.percent)}</td></tr>`).join('');
  return `<table><thead><tr><th>${esc(title)}</th><th class="n">Программ</th><th class="n">Доля</th></tr></thead><tbody>${body}<tr class="total"><td>Всего</td><td class="n">${num(total)}</td><td class="n">${total ? '100%' : '—'}</td></tr></tbody></table>`;
}

const PLAN_KEYS = ['3', '2', '1', '0', 'none_due', 'no_roadmap'] as const;

function expertiseByDistrict(v: RegionView): string {
  const count = (s: ExpertiseSummary, key: string) => s.planDistribution.find((d) => d.key === key)?.count ?? 0;
  const line = (name: string, s: ExpertiseSummary, cls = '') =>
    `<tr${cls ? ` class="${cls}"` : ''}><td>${esc(name)}</td><td class="n">${num(s.programmes)}</td>${PLAN_KEYS.map((k) => `<td class="n">${num(count(s, k))}</td>`).join('')}<td class="n">${num(s.provisional)}</td></tr>`;
  const head = `<tr><th>Район</th><th class="n">АРП</th><th class="n">3 балла</th><th class="n">2 балла</th><th class="n">1 балл</th><th class="n">0 баллов</th><th class="n">Н/о: нет мероприятий к дате</th><th class="n">Н/о: нет дорожной карты</th><th class="n">Ждут отметки эксперта</th></tr>`;
  return `<table><thead>${head}</thead><tbody>${v.districts.map((d) => line(d.name, d.expertise)).join('')}${line('Все районы', v.expertise, 'total')}</tbody></table>`;
}

function districtDetails(d: DistrictView): string {
  const rows = d.expertise.districts.flatMap((t) => t.rows);
  if (rows.length === 0) return `<details><summary>${esc(d.name)}: АРП нет</summary><p class="muted">Пакеты района ещё не принесли антирисковых программ.</p></details>`;
  const body = rows
    .map((r) => `<tr><td>${esc(r.schoolName)}</td><td>${esc(r.programmeTitle)}</td><td class="n">${esc(r.points)}</td><td class="n">${esc(r.planPercent)}</td><td class="n">${esc(r.total)}</td><td>${esc(r.comment)}</td></tr>`)
    .join('');
  return `<details><summary>${esc(d.name)}: ${esc(countOf(rows.length, ['АРП', 'АРП', 'АРП']))}</summary><table><thead><tr><th>Школа</th><th>АРП</th><th class="n">Балл</th><th class="n">% плана</th><th class="n">Итог</th><th>Комментарий</th></tr></thead><tbody>${body}</tbody></table></details>`;
}

function engagementTable(v: RegionView): string {
  const bandCount = (bands: { band: string; count: number }[], band: string) => bands.find((b) => b.band === band)?.count ?? 0;
  const pointCount = (ds: { points: number; count: number }[], p: number) => ds.find((d) => d.points === p)?.count ?? 0;
  const line = (name: string, curators: number, active: number, activePercent: number, bands: { band: string; count: number }[], points: { points: number; count: number }[], cls = '') =>
    `<tr${cls ? ` class="${cls}"` : ''}><td>${esc(name)}</td><td class="n">${num(curators)}</td><td class="n">${num(active)}</td><td class="n">${curators ? `${bar(activePercent)}${percentLabel(activePercent)}` : '—'}</td>
${(['low', 'mid', 'high'] as const).map((b) => `<td class="n">${num(bandCount(bands, b))}</td>`).join('')}${[3, 2, 1, 0].map((p) => `<td class="n">${num(pointCount(points, p))}</td>`).join('')}</tr>`;
  const rows = v.districts
    .map((d) => {
      const e: EngagementSummary | null = d.engagement;
      return e ? line(d.name, e.curators.length, e.active, e.activePercent, e.journalBands, e.pointsDistribution) : `<tr><td>${esc(d.name)}</td><td colspan="10" class="muted">данных ещё нет</td></tr>`;
    })
    .join('');
  const t: EngagementTotals = v.engagement;
  const head = `<tr><th rowspan="2">Район</th><th rowspan="2" class="n">Кураторов</th><th rowspan="2" class="n">Активных</th><th rowspan="2" class="n">Доля активных</th><th colspan="3">Журнал посещений: выполнение графика</th><th colspan="4">Баллы вовлечённости (из 3)</th></tr>
<tr>${(['low', 'mid', 'high'] as const).map((b) => `<th class="n">${esc(BAND_LABELS[b])}</th>`).join('')}<th class="n">3</th><th class="n">2</th><th class="n">1</th><th class="n">0</th></tr>`;
  return `<table><thead>${head}</thead><tbody>${rows}${line('Все районы', t.curators, t.active, t.activePercent, t.journalBands, t.pointsDistribution, 'total')}</tbody></table>`;
}

export function regionPage(v: RegionView, opts: { dateError?: string | null; rawDate?: string | null; now?: Date; user?: RegionUser; admin?: AdminData | null } = {}): string {
  const now = opts.now ?? new Date();
  const s = v.expertise;
  const t = v.engagement;
  const date = formatDate(v.reportingDate);
  const synced = v.districts.filter((d) => d.lastSync).length;
  const body = `<header class="top"><span class="brand">500+ · Адресная помощь</span><span class="sub">Региональный обзор</span>
${opts.user ? `<span class="sub">${esc(opts.user.name)} · ${esc(ROLE_LABELS[opts.user.role])}</span>` : ''}
<form method="post" action="/region/logout"><button type="submit">Выйти</button></form></header>
<main>
<h1>Региональный обзор на ${esc(date)}</h1>
<p class="muted">${opts.admin ? '' : 'Только просмотр. '}Данные — из пакетов, принятых сервером от районов; сформировано ${esc(formatDateTime(now, REGION_TIME_ZONE))}.</p>
<form method="get" action="/region" class="filters">
<div class="field"><label for="date">Отчётная дата</label><input id="date" name="date" type="text" inputmode="numeric" placeholder="ДД.ММ.ГГГГ" maxlength="10" value="${esc(opts.dateError ? (opts.rawDate ?? '') : date)}"${opts.dateError ? ' aria-invalid="true" aria-describedby="date-error"' : ''}>
${opts.dateError ? `<span class="field-error" id="date-error" role="alert">${esc(opts.dateError)}</span>` : ''}</div>
<button class="primary" type="submit">Показать</button></form>

<div class="kpis">
<div class="kpi"><b>${num(v.districts.length)}</b><span>районов, синхронизировались: ${num(synced)}</span></div>
<div class="kpi"><b>${num(s.programmes)}</b><span>АРП, оценено ${num(s.assessed)} (Н/о: ${num(s.notAssessable)})</span></div>
<div class="kpi"><b>${t.curators ? percentLabel(t.activePercent) : '—'}</b><span>активных кураторов: ${num(t.active)} из ${num(t.curators)}${t.curators ? ` (${esc(BAND_LABELS[t.activeBand])})` : ''}</span></div>
</div>

<h2>Районы</h2>
${districtsTable(v, now)}

<h2>Экспертиза АРП на ${esc(date)} — все районы</h2>
${
  s.programmes === 0
    ? '<div class="empty">Антирисковых программ в принятых пакетах пока нет.</div>'
    : `<p>Оценено ${num(s.assessed)} из ${num(s.programmes)} АРП; Н/о (нет дорожной карты): ${num(s.notAssessable)}; предварительных (ждут отметки эксперта): ${num(s.provisional)}.</p>
<h3>Соответствие критериям</h3>${criteriaTable(s)}
<div class="two"><div><h3>Соотношение запланированных мероприятий к реализованным</h3>${distributionTable('Балл', s.planDistribution, s.programmes)}</div>
<div><h3>Итоговый балл</h3>${distributionTable('Итог', s.totalDistribution, s.programmes)}</div></div>
<h3>По районам</h3>${expertiseByDistrict(v)}
<h3>Школы по районам</h3>${v.districts.map(districtDetails).join('')}`
}

<h2>Вовлечённость кураторов с ${esc(formatDate(v.from))} по ${esc(formatDate(v.to))}</h2>
${t.curators === 0 && v.districts.every((d) => !d.engagement) ? '<div class="empty">Кураторов в принятых пакетах пока нет.</div>' : engagementTable(v)}

${opts.admin && opts.user ? `<h2>Подключение ноутбука без интернета</h2>
<p>Координатор района сохраняет на ноутбуке файл запроса подключения (с одноразовым кодом). Загрузите его сюда: сервер подключит ноутбук и отдаст файл ответа с данными района — отвезите его обратно и загрузите на ноутбуке.</p>
<form id="enrol-file" method="post" action="/region/enrol-file" enctype="multipart/form-data" class="filters">
<div class="field"><label for="request">Файл запроса подключения</label><input id="request" name="request" type="file" required></div>
<button class="primary" type="submit">Получить файл ответа</button></form>
${adminSections(opts.admin, opts.user)}` : ''}
</main>`;
  return shell(`Региональный обзор на ${date} — «500+»`, body);
}
