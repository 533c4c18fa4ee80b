import { Route, Switch } from 'wouter';
import { PeopleList } from './PeopleList';
import { PersonCardPage } from './PersonCard';
import { PersonForm } from './PersonForm';

/** #/people, #/people/new, #/people/:id, #/people/:id/edit */
export function PeopleSection() {
  return (
    <Switch>
      <Route path="/">{() => <PeopleList />}</Route>
      <Route path="/new">{() => <PersonForm />}</Route>
      <Route path="/:id/edit">{(x) => <PersonForm key={x.id} id={x.id} />}</Route>
      <Route path="/:id">{(x) => <PersonCardPage key={x.id} id={x.id} />}</Route>
    </Switch>
  );
}
