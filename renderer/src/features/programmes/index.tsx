import { Route, Switch } from 'wouter';
import './programmes.css';
import { ProgrammePage } from './ProgrammePage';
import { ProgrammeSchools } from './ProgrammeSchools';
import { SchoolProgrammes } from './SchoolProgrammes';

/** #/programmes, #/programmes/school/:schoolId, #/programmes/:id */
export function ProgrammesSection() {
  return (
    <Switch>
      <Route path="/">{() => <ProgrammeSchools />}</Route>
      <Route path="/school/:id">{(p) => <SchoolProgrammes key={p.id} schoolId={p.id} />}</Route>
      <Route path="/:id">{(p) => <ProgrammePage key={p.id} id={p.id} />}</Route>
    </Switch>
  );
}
