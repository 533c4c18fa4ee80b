import { NotBuilt } from '../../components/NotBuilt';
import { t } from '../../i18n/ru';

export function VisitsSection() {
  return <NotBuilt title={t.common.nav.visits} />;
}
