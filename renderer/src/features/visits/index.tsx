import { Route, Switch } from 'wouter';
import { Tabs } from '../../components/Tabs';
import { t } from '../../i18n/ru';
import { EventForm } from './EventForm';
import { EventList } from './EventList';
import { Journal } from './Journal';
import { ScheduleCardPage, SchedulePrint } from './ScheduleCard';
import { ScheduleList } from './ScheduleList';
import { VisitForm } from './VisitForm';
import './visits.css';

export { VisitStatusBadge } from './VisitStatusBadge';

const v = t.visits;

const tabs = [
  { href: '/', label: v.tabs.journal },
  { href: '/schedules', label: v.tabs.schedules },
  { href: '/events', label: v.tabs.events },
];

/**
 * #/visits (journal), #/visits/new, #/visits/log/:schoolId, #/visits/:id, #/visits/schedules, #/visits/schedules/:id,
 * #/visits/schedules/:id/print, #/visits/events, #/visits/events/new, #/visits/events/:id
 */
export function VisitsSection() {
  return (
    <Switch>
      <Route path="/schedules/:id/print">{(p) => <SchedulePrint id={p.id} />}</Route>
      <Route>
        <section className="page">
          <Tabs items={tabs} label={v.title} />
          <Switch>
            <Route path="/">{() => <Journal />}</Route>
            <Route path="/new">{() => <VisitForm key="new" />}</Route>
            <Route path="/school/:schoolId">{(p) => <Journal key={`school-${p.schoolId}`} schoolId={p.schoolId} />}</Route>
            <Route path="/log/:schoolId">{(p) => <VisitForm key={`log-${p.schoolId}`} schoolId={p.schoolId} />}</Route>
            <Route path="/schedules">{() => <ScheduleList />}</Route>
            <Route path="/schedules/:id">{(p) => <ScheduleCardPage key={p.id} id={p.id} />}</Route>
            <Route path="/events">{() => <EventList />}</Route>
            <Route path="/events/new">{() => <EventForm key="new" />}</Route>
            <Route path="/events/:id">{(p) => <EventForm key={p.id} id={p.id} />}</Route>
            <Route path="/:id">{(p) => <VisitForm key={p.id} id={p.id} />}</Route>
          </Switch>
        </section>
      </Route>
    </Switch>
  );
}
