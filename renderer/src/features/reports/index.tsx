import { NotBuilt } from '../../components/NotBuilt';
import { t } from '../../i18n/ru';

export function ReportsSection() {
  return <NotBuilt title={t.common.nav.reports} />;
}
