import { NotBuilt } from '../../components/NotBuilt';
import { t } from '../../i18n/ru';

export function SettingsSection() {
  return <NotBuilt title={t.common.nav.settings} />;
}
