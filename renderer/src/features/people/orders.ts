import type { Row } from '../../../../db/schema';
import { formatDate } from '../../../../core/format';

/** «Приказ № 89 от 27.03.2021», as the documents cite it. */
export const orderLabel = (o: Pick<Row<'orders'>, 'number' | 'date'>): string => `Приказ № ${o.number} от ${formatDate(o.date)}`;
