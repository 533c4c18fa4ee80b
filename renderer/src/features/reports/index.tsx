import { Route, Switch } from 'wouter';
import { Dashboard } from './Dashboard';
import { DocumentsPage } from './DocumentsPage';
import { ExpertisePage } from './ExpertisePage';
import { PrintView } from './PrintView';
import { SheetPage } from './SheetPage';
import './reports.css';

/** #/reports (expertise), #/reports/sheet/:programmeId/:date, #/reports/monitoring, #/reports/documents, #/reports/print/:request */
export function ReportsSection() {
  return (
    <Switch>
      <Route path="/">{() => <ExpertisePage />}</Route>
      <Route path="/sheet/:id/:date">{(p) => <SheetPage key={`${p.id}${p.date}`} programmeId={p.id} reportingDate={p.date} />}</Route>
      <Route path="/monitoring">{() => <Dashboard />}</Route>
      <Route path="/documents">{() => <DocumentsPage />}</Route>
      <Route path="/print/:req">{(p) => <PrintView param={p.req} />}</Route>
    </Switch>
  );
}
