import { Link } from 'wouter';
import { percentLabel } from '../../../../core/format';
import { DUE_RULE } from '../../../../core/rules/due';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';
import { ReportingDateField, ReportTabs, ruDate, useOptions } from './common';
import { printHref } from './download';

const r = t.reports;
const e = r.expertise;

export function ExpertisePage() {
  const { options, reportingDate } = useOptions();
  const { data, error, loading } = useCall('expertise.list', { reportingDate: reportingDate ?? '2000-01-01' }, { enabled: !!reportingDate });
  return (
    <section className="page">
      <div className="page-head">
        <h1>{r.title}</h1>
        {reportingDate && (
          <Link className="no-print" href={printHref({ kind: 'expertise', reportingDate, scope: 'district', districtId: options?.districtId ?? null })}>
            {r.sheet.print}
          </Link>
        )}
      </div>
      <ReportTabs />
      <div className="rp-filters no-print">
        <ReportingDateField />
      </div>
      {data && <p className="muted small as-of">{data.asOf}</p>}
      {error && <div className="form-error" role="alert">{error.message}</div>}
      {!data && loading && <div className="loading">{t.common.loading}</div>}
      {data && data.summary.programmes === 0 && <div className="empty">{e.empty}</div>}
      {data && data.summary.programmes > 0 && (
        <>
          <p>
            {e.assessed(data.summary.assessed, data.summary.programmes, data.summary.notAssessable)}{' '}
            {data.summary.provisional > 0 && <span className="badge warn">{e.provisional(data.summary.provisional)}</span>}
          </p>
          <div className="rp-grid2">
            <div className="card">
              <h2 style={{ marginTop: 0 }}>{e.criteria}</h2>
              <table className="grid">
                <thead>
                  <tr>
                    <th>{e.criterion}</th>
                    <th>{e.count}</th>
                    <th>{e.percent}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.summary.criteria.map((c) => (
                    <tr key={c.criterion}>
                      <td>{c.title}</td>
                      <td>{c.count}</td>
                      <td>{c.percent === null ? '—' : percentLabel(c.percent)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className="card">
              <h2 style={{ marginTop: 0 }}>{e.distribution}</h2>
              <table className="grid">
                <thead>
                  <tr>
                    <th>{e.points}</th>
                    <th>{e.count}</th>
                    <th>{e.percent}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.summary.planDistribution.map((d) => (
                    <tr key={d.key}>
                      <td>{d.label}</td>
                      <td>{d.count}</td>
                      <td>{d.percent}%</td>
                    </tr>
                  ))}
                  <tr>
                    <th>{e.total100}</th>
                    <th>{data.summary.programmes}</th>
                    <th>100%</th>
                  </tr>
                </tbody>
              </table>
            </div>
          </div>
          <details className="card">
            <summary>{e.howCounted}</summary>
            <p className="small">{DUE_RULE}</p>
            <p className="small">{e.roundingNote}</p>
          </details>
          <h2>{e.byDistrict} — {ruDate(reportingDate)}</h2>
          {data.summary.districts.map((d) => (
            <div key={d.districtId} className="card">
              <h3 style={{ marginTop: 0 }}>{d.districtName}</h3>
              <table className="grid">
                <thead>
                  <tr>
                    <th>{e.school}</th>
                    <th>{e.programme}</th>
                    <th>{e.points}</th>
                    <th>{e.planPercent}</th>
                    <th>{e.total}</th>
                    <th>{e.comment}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.rows.map((row) => (
                    <tr key={row.programmeId}>
                      <td>{row.schoolName}</td>
                      <td>
                        <Link href={`/sheet/${row.programmeId}/${reportingDate}`}>{row.programmeTitle}</Link>
                      </td>
                      <td>{row.points}</td>
                      <td>{row.planPercent}</td>
                      <td>{row.total}</td>
                      <td className="small">{row.comment}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
        </>
      )}
    </section>
  );
}
