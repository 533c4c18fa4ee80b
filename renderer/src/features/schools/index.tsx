import { NotBuilt } from '../../components/NotBuilt';
import { t } from '../../i18n/ru';

export function SchoolsSection() {
  return <NotBuilt title={t.common.nav.schools} />;
}
