/**
 * The regional coordinator's web page (read-only but for enrolment by file), served by the regional server:
 *
 *   GET  /region[?date=YYYY-MM-DD]  districts with their last sync; expertise and curator
 *                                   engagement summaries across all districts (server-rendered, no scripts)
 *   POST /region/login              form field `token` = the region admin key → a session cookie
 *   POST /region/logout             forgets the cookie
 *   POST /region/enrol-file         multipart field `request` = a laptop's enrolment request file → its reply
 *                                   package as a download (the one action on the page; see core/sync/enrolFile.node.ts)
 *
 * Access needs the region admin key: through the login form (the cookie holds an HMAC of
 * the key, never the key itself, so it cannot be replayed against the admin API) or an
 * `Authorization: Bearer <key>` header. Every text is escaped; the page's CSP (set for the
 * whole hub in server/http.ts) allows no scripts at all. Forms are bounded as they arrive:
 * an oversize or malformed form gets a page saying so (413/400), never a dropped connection.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { countOf, formatDate, formatDateTime, parseRuDate } from '../core/format';
import { DEFAULT_TIME_ZONE as REGION_TIME_ZONE } from '../core/rules/today';
import { HttpRefusal, russianFrameworkError } from '../core/http/fastify.node';
import type { EngagementSummary } from '../core/monitoring/monitoring';
import type { ExpertiseSummary } from '../core/monitoring/summary';
import { escapeHtml as esc } from '../core/reports/html';
import { BAND_LABELS } from '../core/rules/engagement';
import { HubError, type Hub } from './hub';
import { readModelOf, type DistrictView, type EngagementTotals, type RegionView } from './readModel';

const COOKIE = 'region_view';
/** A district silent for longer than this is flagged on the page. */
const STALE_DAYS = 14;
const MAX_FORM = 4096;
const MAX_UPLOAD = 128 * 1024;

export { readModelOf } from './readModel';

const sessionValue = (hub: Hub): string => createHmac('sha256', hub.identity.adminToken).update('region-view/1').digest('base64url');

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function isRegionViewer(hub: Hub, req: FastifyRequest): boolean {
  const auth = req.headers.authorization ?? '';
  if (auth.startsWith('Bearer ') && hub.isAdmin(auth.slice(7))) return true;
  const c = req.cookies[COOKIE];
  return !!c && sameSecret(c, sessionValue(hub));
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
async function enrolFromForm(hub: Hub, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  if (!req.isMultipart()) return sendHtml(reply, 400, enrolRefusedPage('Выберите файл запроса подключения, сохранённый на ноутбуке.'));
  const file = await uploadedRequest(req);
  if (!file || file.length === 0) return sendHtml(reply, 400, enrolRefusedPage('Выберите файл запроса подключения, сохранённый на ноутбуке.'));
  try {
    const { reply: bytes, district } = await hub.enrolFromFile(new Uint8Array(file));
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

const ROUTES: Record<string, string> = { '/region': 'GET', '/region/login': 'POST', '/region/logout': 'POST', '/region/enrol-file': 'POST' };

/** Registers /region and /region/* on the hub's Fastify app (in their own plugin context: forms, cookies, HTML errors). */
export async function registerRegionPage(app: FastifyInstance, hub: Hub): Promise<void> {
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: MAX_FORM });
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD, files: 1, fields: 4, parts: 5, fieldSize: 1024, headerPairs: 20 } });
  app.setErrorHandler((error, req, reply) => {
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
    const body = req.body as Record<string, unknown> | undefined;
    const token = typeof body?.token === 'string' ? body.token.trim() : '';
    if (!hub.isAdmin(token)) {
      return sendHtml(reply, 401, loginPage(token ? 'Ключ администратора неверен. Он записан в файле admin-token.txt в папке данных сервера.' : 'Введите ключ администратора региона.'));
    }
    return reply.setCookie(COOKIE, sessionValue(hub), cookieOptions(req, 12 * 3600)).redirect('/region', 303);
  });
  app.post('/region/enrol-file', { bodyLimit: MAX_UPLOAD + MAX_FORM }, async (req, reply) => {
    if (!isRegionViewer(hub, req)) return sendHtml(reply, 401, loginPage(null));
    return enrolFromForm(hub, req, reply);
  });
  app.post('/region/logout', { bodyLimit: MAX_FORM }, async (req, reply) => reply.setCookie(COOKIE, '', cookieOptions(req, 0)).redirect('/region', 303));
  app.get('/region', async (req, reply) => {
    if (!isRegionViewer(hub, req)) return sendHtml(reply, 401, loginPage(null));
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
    return sendHtml(reply, 200, regionPage(view, { dateError, rawDate: raw }));
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

function loginPage(error: string | null): string {
  return shell(
    'Вход — региональный обзор «500+»',
    `<header class="top"><span class="brand">500+ · Адресная помощь</span><span class="sub">Региональный сервер</span></header>
<main class="narrow"><div class="card">
<h1>Региональный обзор</h1>
<p class="muted">Страница для регионального координатора. Введите ключ администратора региона (файл admin-token.txt в папке данных сервера).</p>
<form method="post" action="/region/login">
<div class="field"><label for="token">Ключ администратора</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus${error ? ' aria-invalid="true" aria-describedby="token-error"' : ''}>
${error ? `<span class="field-error" id="token-error" role="alert">${esc(error)}</span>` : ''}</div>
<p><button class="primary" type="submit">Войти</button></p>
</form></div></main>`,
  );
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
    return `<div class="empty">Районов пока нет. Создайте район и выдайте код подключения через API администратора (POST /api/admin/districts, затем /api/admin/districts/:id/codes).</div>`;
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
    `<tr${cls ? ` class="${cls}"` : ''}><td>${esc(name)}</td><td class="n">${num(curators)}</td><td class="n">${num(active)}</td><td class="n">${curators ? `${bar(activePercent)}${activePercent}%` : '—'}</td>
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

export function regionPage(v: RegionView, opts: { dateError?: string | null; rawDate?: string | null; now?: Date } = {}): string {
  const now = opts.now ?? new Date();
  const s = v.expertise;
  const t = v.engagement;
  const date = formatDate(v.reportingDate);
  const synced = v.districts.filter((d) => d.lastSync).length;
  const body = `<header class="top"><span class="brand">500+ · Адресная помощь</span><span class="sub">Региональный обзор</span>
<form method="post" action="/region/logout"><button type="submit">Выйти</button></form></header>
<main>
<h1>Региональный обзор на ${esc(date)}</h1>
<p class="muted">Только просмотр. Данные — из пакетов, принятых сервером от районов; сформировано ${esc(formatDateTime(now, REGION_TIME_ZONE))}.</p>
<form method="get" action="/region" class="filters">
<div class="field"><label for="date">Отчётная дата</label><input id="date" name="date" type="text" inputmode="numeric" placeholder="ДД.ММ.ГГГГ" maxlength="10" value="${esc(opts.dateError ? (opts.rawDate ?? '') : date)}"${opts.dateError ? ' aria-invalid="true" aria-describedby="date-error"' : ''}>
${opts.dateError ? `<span class="field-error" id="date-error" role="alert">${esc(opts.dateError)}</span>` : ''}</div>
<button class="primary" type="submit">Показать</button></form>

<div class="kpis">
<div class="kpi"><b>${num(v.districts.length)}</b><span>районов, синхронизировались: ${num(synced)}</span></div>
<div class="kpi"><b>${num(s.programmes)}</b><span>АРП, оценено ${num(s.assessed)} (Н/о: ${num(s.notAssessable)})</span></div>
<div class="kpi"><b>${t.curators ? `${t.activePercent}%` : '—'}</b><span>активных кураторов: ${num(t.active)} из ${num(t.curators)}${t.curators ? ` (${esc(BAND_LABELS[t.activeBand])})` : ''}</span></div>
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

<h2>Подключение ноутбука без интернета</h2>
<p>Координатор района сохраняет на ноутбуке файл запроса подключения (с одноразовым кодом). Загрузите его сюда: сервер подключит ноутбук и отдаст файл ответа с данными района — отвезите его обратно и загрузите на ноутбуке.</p>
<form id="enrol-file" method="post" action="/region/enrol-file" enctype="multipart/form-data" class="filters">
<div class="field"><label for="request">Файл запроса подключения</label><input id="request" name="request" type="file" required></div>
<button class="primary" type="submit">Получить файл ответа</button></form>
</main>`;
  return shell(`Региональный обзор на ${date} — «500+»`, body);
}
