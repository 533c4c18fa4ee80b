import { t } from '../i18n/ru';

export function NotBuilt({ title }: { title: string }) {
  return (
    <section className="page">
      <h1>{title}</h1>
      <div className="empty" role="status">
        {t.common.notBuilt}
      </div>
    </section>
  );
}
