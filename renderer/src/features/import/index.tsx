/**
 * #/import — bringing in what a district already has in Excel and Word. The start screen
 * lists each kind of import; each kind is a wizard in ImportFrame (file → check → done).
 * Lists of schools, people and assignments are TableImport; other kinds add their entry to
 * IMPORT_CHOICES and their route below.
 */
import { Link, Route, Switch } from 'wouter';
import { importKinds, type ImportKind } from '../../../../core/contract/imports';
import { t } from '../../i18n/ru';
import { MuniImport } from './MuniImport';
import { RoadmapImport } from './RoadmapImport';
import { TableImport } from './TableImport';
import './import.css';

const tr = t.imports;

export interface ImportChoice {
  path: string;
  title: string;
  hint: string;
}

export const IMPORT_CHOICES: ImportChoice[] = [
  ...importKinds.map((kind) => ({ path: `/${kind}`, ...tr.kinds[kind] })),
  { path: '/roadmap', ...t.roadmapImports.roadmap },
  { path: '/muni', ...t.roadmapImports.muni },
];

export function ImportSection() {
  return (
    <Switch>
      <Route path="/">
        <ImportStart />
      </Route>
      <Route path="/roadmap">
        <RoadmapImport />
      </Route>
      <Route path="/muni">
        <MuniImport />
      </Route>
      <Route path="/:kind">{(params) => (isTableKind(params.kind) ? <TableImport key={params.kind} kind={params.kind} /> : <ImportStart />)}</Route>
    </Switch>
  );
}

const isTableKind = (k: string): k is ImportKind => (importKinds as readonly string[]).includes(k);

function ImportStart() {
  return (
    <section className="page page-narrow">
      <div className="page-head">
        <h1>{tr.title}</h1>
      </div>
      <p className="muted intro">{tr.intro}</p>
      <ul className="import-choices">
        {IMPORT_CHOICES.map((c) => (
          <li key={c.path} className="card">
            <Link href={c.path} className="import-choice-title">
              {c.title}
            </Link>
            <p className="muted">{c.hint}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
