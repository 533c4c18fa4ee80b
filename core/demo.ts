/**
 * The demo districts, built from the seeds, each loaded on its own (a laptop works for one
 * district): the seven schools of Каменск-Уральский городской округ with curators from
 * schools №№ 1, 3, 15, 19, 21, 35 (seed 000), or the four schools of МР «Цунтинский район»
 * with their directors and curators (seed 001). Where a seed gives only initials, the demo keeps only initials.
 */
import { restampUnsentAt } from './sync/restamp';
import { AppError } from '../db/errors';
import { DEMO_DISTRICTS, type DemoDistrict } from './contract/app';
import { getMeta, setMeta } from '../db/replica';
import type { Store } from '../db/store';
import { insertRow, updateRow } from '../db/write';
import { referenceId } from './reference';
import { ensureReferenceData } from './referenceData';
import { loadDemoVisits } from './demoFieldwork';
import { loadDemoProgrammes } from './demoProgrammes';
import { DEFAULT_THRESHOLDS } from './rules/visits';

interface DemoPerson {
  last: string;
  first: string;
  middle: string | null;
  position?: string;
}

const split = (full: string): DemoPerson => {
  const [last, first, middle] = full.split(' ');
  return { last: last!, first: first!, middle: middle ?? null };
};

/** «Маркова И.В.» → last name and initials as given. */
const initials = (s: string): DemoPerson => {
  const [last, rest] = s.split(' ');
  const [f, m] = rest!.split('.').filter(Boolean);
  return { last: last!, first: `${f}.`, middle: m ? `${m}.` : null };
};

const TSUNTA = {
  district: DEMO_DISTRICTS.tsunta,
  coordinator: { ...initials('Алиев М.А.'), position: 'Муниципальный координатор' },
  order: { number: '89', date: '2021-03-27', title: 'О реализации проекта 500+', issuer: 'Управление образования МР «Цунтинский район»' },
  schools: [
    { full: 'МКОУ «Генухская СОШ имени Тагирова А.Р.»', short: 'Генухская СОШ', director: 'Юсупов Магомед Магомедович' },
    { full: 'МКОУ «Ретлобская СОШ»', short: 'Ретлобская СОШ', director: 'Магомединов Шамиль Гамидович' },
    { full: 'МКОУ «Хебатлинская СОШ»', short: 'Хебатлинская СОШ', director: 'Салманов Магомед Бадигович' },
    { full: 'МКОУ «Цебаринская СОШ»', short: 'Цебаринская СОШ', director: 'Анварбегов Исрапил Джабраилович' },
  ],
  // Seed 001, «Распределение кураторов»: curator, home school (index), position, school served (index).
  curators: [
    { name: 'Абдулаева Нугейрат Алиевна', home: 0, position: 'Заместитель директора по УВР', serves: 2 },
    { name: 'Анварбегов Магомед Джабраилович', home: 1, position: null, serves: 0 },
    { name: 'Асхабов Халит Магомедович', home: 2, position: 'Учитель английского языка', serves: 1 },
    { name: 'Анварбегов Абдулнасир Ахмедович', home: 3, position: 'Заместитель директора по УВР', serves: 3 },
  ],
};

// Seed 000: participants and, from the list of visits (item 30), director, school coordinator
// and curator of each; curators come from the donor schools №№ 1, 3, 15, 19, 21, 35.
const KAMENSK = {
  district: DEMO_DISTRICTS.kamensk,
  participants: [
    { n: 2, kind: 'СОШ', director: 'Маркова И.В.', coordinator: 'Саламатова Л.И.', curator: 'Григорьева М.В.' },
    { n: 7, kind: 'СОШ', director: 'Щипанова В.Н.', coordinator: 'Ченцова Е.Ю.', curator: 'Измоденова Т.М.' },
    { n: 32, kind: 'СОШ', director: 'Попкова М.А.', coordinator: 'Сакрюкина Е.Н.', curator: 'Осипова Л.А.' },
    { n: 37, kind: 'СОШ', director: 'Ченцов Е.Н.', coordinator: 'Баранова Е.М.', curator: 'Анульева И.Г.' },
    { n: 14, kind: 'ООШ', director: 'Гоголева М.А.', coordinator: 'Сутягина Т.В.', curator: 'Кузьмич С.В.' },
    { n: 27, kind: 'ООШ', director: 'Кырчикова Д.А.', coordinator: 'Ивраева Н.В.', curator: 'Анульева И.Г.' },
    { n: 39, kind: 'ООШ', director: 'Захарова Д.Д.', coordinator: 'Галухина О.А.', curator: 'Телятников А.Ю.' },
  ],
  donors: [
    { n: 1, curator: 'Григорьева М.В.' },
    { n: 3, curator: 'Измоденова Т.М.' },
    { n: 15, curator: 'Осипова Л.А.' },
    { n: 19, curator: 'Анульева И.Г.' },
    { n: 21, curator: 'Кузьмич С.В.' },
    { n: 35, curator: 'Телятников А.Ю.' },
  ],
};

const schoolName = (kind: string, n: number) => (kind === 'ООШ' ? `Основная школа № ${n}` : `Средняя школа № ${n}`);

/** The demo's history begins when Каменск-Уральский appointed its curators (the order of 15.03.2021). */
export const DEMO_HISTORY_FROM = Date.parse('2021-03-15T09:00:00+05:00');

export function loadDemo(store: Store, which: DemoDistrict = 'kamensk'): void {
  store.tx(() => {
    if (getMeta(store, 'district_id')) throw new AppError('exists', 'Демо можно загрузить только в пустую базу: район уже создан.');
    const region = insertRow(store, 'regions', { name: 'Демонстрационный регион' });
    const district = (name: string) => {
      const row = insertRow(store, 'districts', { region_id: region.id, name, ...DEFAULT_THRESHOLDS });
      setMeta(store, 'district_id', row.id);
      return row;
    };
    const person = (districtId: string, p: DemoPerson, roles: Partial<Record<'is_coordinator' | 'is_curator' | 'is_school_coordinator' | 'is_director', boolean>>, org: string | null, position?: string | null) =>
      insertRow(store, 'people', {
        district_id: districtId,
        last_name: p.last,
        first_name: p.first,
        middle_name: p.middle,
        position: position ?? p.position ?? null,
        organisation_id: org,
        is_coordinator: !!roles.is_coordinator,
        is_curator: !!roles.is_curator,
        is_school_coordinator: !!roles.is_school_coordinator,
        is_director: !!roles.is_director,
      });
    ensureReferenceData(store);

    if (which === 'kamensk') {
      const lowResults = referenceId('risk_factor', '2021:РФ8');
      const kamensk = district(KAMENSK.district);
      const kOrder = insertRow(store, 'orders', {
        district_id: kamensk.id,
        number: 'б/н',
        date: '2021-03-15',
        issuer: 'Управление образования Каменск-Уральского городского округа',
        title: 'О назначении кураторов школ, участвующих в проекте «500+»',
      });
      const curators = new Map<string, string>();
      for (const d of KAMENSK.donors) {
        const s = insertRow(store, 'schools', { district_id: kamensk.id, full_name: `Средняя школа № ${d.n}`, short_name: `Средняя школа № ${d.n}`, kind: 'СОШ', is_participant: false, stage: 'forming' });
        if (!curators.has(d.curator)) curators.set(d.curator, person(kamensk.id, initials(d.curator), { is_curator: true }, s.id).id);
      }
      for (const p of KAMENSK.participants) {
        const name = schoolName(p.kind, p.n);
        const s = insertRow(store, 'schools', { district_id: kamensk.id, full_name: name, short_name: name, kind: p.kind, is_participant: true, cohort_year: 2021, risk_group: null, stage: 'implementing' });
        const director = person(kamensk.id, initials(p.director), { is_director: true }, s.id, 'Директор');
        person(kamensk.id, initials(p.coordinator), { is_school_coordinator: true }, s.id, 'Школьный координатор');
        updateRow(store, 'schools', s.id, { director_id: director.id });
        insertRow(store, 'curator_assignments', { curator_id: curators.get(p.curator)!, school_id: s.id, date_from: '2021-03-15', date_to: null, order_id: kOrder.id });
        insertRow(store, 'risk_profiles', { school_id: s.id, risk_factor_id: lowResults, level: 'high', activated: true, verified: true });
      }
    } else {
      const competence = referenceId('risk_factor', '2021:РФ3');
      const tsunta = district(TSUNTA.district);
      person(tsunta.id, TSUNTA.coordinator, { is_coordinator: true }, null);
      const tOrder = insertRow(store, 'orders', { district_id: tsunta.id, ...TSUNTA.order });
      const ids = TSUNTA.schools.map((s) => {
        const school = insertRow(store, 'schools', { district_id: tsunta.id, full_name: s.full, short_name: s.short, kind: 'СОШ', is_participant: true, cohort_year: 2021, risk_group: 'Базово неуспевающие', stage: 'forming' });
        const director = person(tsunta.id, split(s.director), { is_director: true }, school.id, 'Директор');
        updateRow(store, 'schools', school.id, { director_id: director.id });
        insertRow(store, 'risk_profiles', { school_id: school.id, risk_factor_id: competence, level: 'medium', activated: true, verified: false });
        return school.id;
      });
      for (const c of TSUNTA.curators) {
        const p = person(tsunta.id, split(c.name), { is_curator: true }, ids[c.home]!, c.position);
        insertRow(store, 'curator_assignments', { curator_id: p.id, school_id: ids[c.serves]!, date_from: TSUNTA.order.date, date_to: null, order_id: tOrder.id });
      }
    }
    loadDemoVisits(store);
    loadDemoProgrammes(store);
    restampUnsentAt(store, DEMO_HISTORY_FROM);
  });
}
