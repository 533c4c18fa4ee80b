import { NotBuilt } from '../../components/NotBuilt';
import { t } from '../../i18n/ru';

export function StartSection() {
  return <NotBuilt title={t.common.nav.start} />;
}
