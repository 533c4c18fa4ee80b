import { useState } from 'react';
import type { RiskProfileRow } from '../../../../core/contract/schools';
import type { RiskLevel } from '../../../../db/schema';
import { call } from '../../bridge';
import { EmptyState } from '../../components/States';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';
import { useApp } from '../../stores/app';
import { disabledBy, useCan } from '../../hooks/useCan';
import { districtDateTime } from '../../clock';

const r = t.schools.risk;
const LEVELS: RiskLevel[] = ['high', 'medium', 'low'];

/**
 * The school's risk profile, edited in place: each change is saved at once
 * (riskProfiles.save), removing a factor can be undone from the toast.
 */
export function RiskProfile({ schoolId, rows }: { schoolId: string; rows: RiskProfileRow[] }) {
  const toast = useApp((s) => s.toast);
  const toastUndoable = useApp((s) => s.toastUndoable);
  const factors = useCall('riskFactors.list', {});
  const [adding, setAdding] = useState({ factor: '', level: 'high' as RiskLevel });
  const can = useCan('schools.edit');
  const may = disabledBy(can);

  const save = async (row: Pick<RiskProfileRow, 'risk_factor_id' | 'level' | 'activated' | 'verified'>) => {
    const res = await call('riskProfiles.save', {
      school_id: schoolId,
      risk_factor_id: row.risk_factor_id,
      level: row.level,
      activated: !!row.activated,
      verified: !!row.verified,
    });
    if (!res.ok) toast(res.error.message, { kind: 'error' });
    return res.ok;
  };

  const remove = async (row: RiskProfileRow) => {
    const res = await call('riskProfiles.delete', { id: row.id });
    if (!res.ok) return toast(res.error.message, { kind: 'error' });
    toastUndoable(r.removed(row.factor_title), res.step);
  };

  const used = new Set(rows.map((x) => x.risk_factor_id));
  const free = (factors.data ?? []).filter((f) => !used.has(f.id));

  return (
    <div>
      {rows.length === 0 ? (
        <EmptyState>{t.schools.noRisk}</EmptyState>
      ) : (
        <table className="grid">
          <thead>
            <tr>
              <th>{r.factor}</th>
              <th className="w-level">{r.level}</th>
              <th className="w-flag">{r.activated}</th>
              <th className="w-flag">{r.verified}</th>
              <th className="w-act" aria-label={t.common.delete} />
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id}>
                <td>
                  <span className="muted small">{row.factor_code}</span> {row.factor_title}
                </td>
                <td>
                  <select
                    aria-label={`${r.level}: ${row.factor_title}`}
                    className={`level level-${row.level}`}
                    value={row.level}
                    {...may}
                    onChange={(e) => void save({ ...row, level: e.target.value as RiskLevel })}
                  >
                    {LEVELS.map((l) => (
                      <option key={l} value={l}>
                        {r.levels[l]}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`${r.activated}: ${row.factor_title}`}
                    checked={!!row.activated}
                    {...may}
                    onChange={(e) => void save({ ...row, activated: e.target.checked ? 1 : 0 })}
                  />
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`${r.verified}: ${row.factor_title}`}
                    checked={!!row.verified}
                    {...may}
                    onChange={(e) => void save({ ...row, verified: e.target.checked ? 1 : 0 })}
                  />
                  {row.verified && row.verified_by_name ? (
                    <div className="muted small">{r.verifiedBy(row.verified_by_name, districtDateTime(row.verified_at))}</div>
                  ) : null}
                </td>
                <td>
                  <button type="button" className="link danger" onClick={() => void remove(row)} {...may}>
                    {r.remove}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!can.allowed ? null : free.length > 0 ? (
        <form
          className="inline-add"
          onSubmit={(e) => {
            e.preventDefault();
            if (!adding.factor) return;
            void save({ risk_factor_id: adding.factor, level: adding.level, activated: 0, verified: 0 }).then((ok) => ok && setAdding({ factor: '', level: 'high' }));
          }}
        >
          <select aria-label={r.factor} className="grow" value={adding.factor} onChange={(e) => setAdding({ ...adding, factor: e.target.value })}>
            <option value="">{r.chooseFactor}</option>
            {free.map((f) => (
              <option key={f.id} value={f.id}>
                {f.code}. {f.title} ({f.year})
              </option>
            ))}
          </select>
          <select aria-label={r.level} value={adding.level} onChange={(e) => setAdding({ ...adding, level: e.target.value as RiskLevel })}>
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {r.levels[l]}
              </option>
            ))}
          </select>
          <button type="submit" disabled={!adding.factor}>
            {r.add}
          </button>
        </form>
      ) : (
        factors.data && <p className="muted small">{r.allUsed}</p>
      )}
    </div>
  );
}
