import { NotBuilt } from '../../components/NotBuilt';
import { t } from '../../i18n/ru';

export function TrashSection() {
  return <NotBuilt title={t.common.nav.trash} />;
}
