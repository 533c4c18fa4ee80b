import { Route, Switch } from 'wouter';
import { SchoolCardPage } from './SchoolCard';
import { SchoolForm } from './SchoolForm';
import { SchoolList } from './SchoolList';

/** #/schools, #/schools/new, #/schools/:id, #/schools/:id/edit */
export function SchoolsSection() {
  return (
    <Switch>
      <Route path="/">{() => <SchoolList />}</Route>
      <Route path="/new">{() => <SchoolForm />}</Route>
      <Route path="/:id/edit">{(p) => <SchoolForm key={p.id} id={p.id} />}</Route>
      <Route path="/:id">{(p) => <SchoolCardPage key={p.id} id={p.id} />}</Route>
    </Switch>
  );
}
