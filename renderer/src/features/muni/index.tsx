import { NotBuilt } from '../../components/NotBuilt';
import { t } from '../../i18n/ru';

export function MuniSection() {
  return <NotBuilt title={t.common.nav.muni} />;
}
