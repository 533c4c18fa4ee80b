import { NotBuilt } from '../../components/NotBuilt';
import { t } from '../../i18n/ru';

export function SyncSection() {
  return <NotBuilt title={t.common.nav.sync} />;
}
