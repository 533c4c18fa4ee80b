import { Link, Route, Switch, useLocation } from 'wouter';
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

function Tabs() {
  const [location] = useLocation();
  const tab = location.startsWith('/schedules') ? 'schedules' : location.startsWith('/events') ? 'events' : 'journal';
  const items = [
    { key: 'journal', href: '/', label: v.tabs.journal },
    { key: 'schedules', href: '/schedules', label: v.tabs.schedules },
    { key: 'events', href: '/events', label: v.tabs.events },
  ];
  return (
    <nav className="tabs" aria-label={v.title}>
      {items.map((i) => (
        <Link key={i.key} href={i.href} className={i.key === tab ? 'tab active' : 'tab'} aria-current={i.key === tab ? 'page' : undefined}>
          {i.label}
        </Link>
      ))}
    </nav>
  );
}

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
          <Tabs />
          <Switch>
            <Route path="/">{() => <Journal />}</Route>
            <Route path="/new">{() => <VisitForm key="new" />}</Route>
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
