import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';
import { decodePrint } from './download';
import type { ReportRequest } from '../../../../core/contract/reports';

const p = t.reports.print;

/** The print-friendly view of any report: the same model as the file, printed with window.print (or saved as PDF). */
export function PrintView({ param }: { param: string }) {
  const request = decodePrint(param);
  const { data, error } = useCall('reports.preview', { request: request ?? ({ kind: 'activities', year: 2000 } as ReportRequest) }, { enabled: !!request });
  return (
    <section className="page">
      <div className="page-head no-print">
        <button type="button" onClick={() => history.back()}>{p.back}</button>
        <h1>{data?.title ?? ''}</h1>
        <button type="button" className="primary" onClick={() => window.print()} disabled={!data}>{p.print}</button>
      </div>
      {error && <div className="form-error" role="alert">{error.message}</div>}
      {!request && <div className="form-error" role="alert">Неверная ссылка на отчёт.</div>}
      {data && <article className={data.orientation === 'landscape' ? 'print-doc print-landscape' : 'print-doc'} dangerouslySetInnerHTML={{ __html: data.body }} />}
    </section>
  );
}
