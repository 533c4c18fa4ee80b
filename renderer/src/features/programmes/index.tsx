import { NotBuilt } from '../../components/NotBuilt';
import { t } from '../../i18n/ru';

export function ProgrammesSection() {
  return <NotBuilt title={t.common.nav.programmes} />;
}
