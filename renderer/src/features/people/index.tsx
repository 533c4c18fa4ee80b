import { NotBuilt } from '../../components/NotBuilt';
import { t } from '../../i18n/ru';

export function PeopleSection() {
  return <NotBuilt title={t.common.nav.people} />;
}
