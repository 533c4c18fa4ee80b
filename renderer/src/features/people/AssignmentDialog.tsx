import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { z } from 'zod';
import { assignmentShape, datesInOrder, orderInput, orderMessage, type OverlapChoice } from '../../../../core/contract/people';
import type { Row } from '../../../../db/schema';
import { call } from '../../bridge';
import { useCloseGuard } from '../../components/closeGuard';
import { DateInput } from '../../components/DateInput';
import { Field } from '../../components/Field';
import { applyServerError, focusFirstError, formKeys } from '../../components/forms';
import { LookupField } from '../../components/LookupField';
import { Modal } from '../../components/Modal';
import { useCall } from '../../hooks/useCall';
import { t } from '../../i18n/ru';
import { useApp } from '../../stores/app';
import { searchSchools } from '../schools/lookup';
import { searchPeople } from './lookup';
import { districtToday } from '../../clock';
import { formatDate, orderLabel } from '../../../../core/format';

const a = t.people.assignment;

/**
 * The assignment's own fields from the contract, plus an order that is either picked
 * from the list or typed in here (checked with the contract's orderInput).
 */
const formSchema = z
  .object({
    curator_id: z.string({ message: 'Выберите куратора' }).min(1, { message: 'Выберите куратора' }),
    school_id: z.string({ message: 'Выберите школу' }).min(1, { message: 'Выберите школу' }),
    date_from: assignmentShape.shape.date_from,
    date_to: assignmentShape.shape.date_to,
    order_id: z.string().nullable(),
    order_mode: z.enum(['none', 'existing', 'new']),
    order_number: z.string(),
    order_date: z.string().nullable(),
    order_title: z.string(),
  })
  .superRefine((v, ctx) => {
    if (!datesInOrder(v)) ctx.addIssue({ code: 'custom', ...orderMessage() });
    if (v.order_mode === 'existing' && !v.order_id) ctx.addIssue({ code: 'custom', path: ['order_id'], message: a.chooseOrder });
    if (v.order_mode === 'new') {
      const r = orderInput.safeParse({ number: v.order_number, date: v.order_date, title: v.order_title });
      if (!r.success) for (const i of r.error.issues) ctx.addIssue({ code: 'custom', path: [`order_${String(i.path[0])}`], message: i.message });
    }
  });

type Values = z.input<typeof formSchema>;
type Parsed = z.output<typeof formSchema>;
const FIELDS = ['curator_id', 'school_id', 'date_from', 'date_to', 'order_id', 'order_number', 'order_date', 'order_title'] as const;
/** The core's field names for a new order → this form's. */
const ORDER_FIELDS = { 'new_order.number': 'order_number', 'new_order.date': 'order_date', 'new_order.title': 'order_title' };

export interface AssignmentDialogProps {
  onClose: () => void;
  /** The side that is fixed when opened from a card. */
  school?: { id: string; label: string };
  curator?: { id: string; label: string };
  /** Editing an existing assignment (school and curator then stay as they are). */
  existing?: Row<'curator_assignments'>;
}

/** «Назначить куратора»: curator → school, dates and the order that made it. */
export function AssignmentDialog({ onClose, school, curator, existing }: AssignmentDialogProps) {
  const toast = useApp((s) => s.toast);
  const orders = useCall('orders.list', {});
  const [banner, setBanner] = useState<string | null>(null);
  const form = useForm<Values, unknown, Parsed>({
    resolver: zodResolver(formSchema),
    defaultValues: {
      curator_id: existing?.curator_id ?? curator?.id ?? '',
      school_id: existing?.school_id ?? school?.id ?? '',
      date_from: existing?.date_from ?? districtToday(),
      date_to: existing?.date_to ?? null,
      order_id: existing?.order_id ?? null,
      order_mode: existing ? (existing.order_id ? 'existing' : 'none') : 'existing',
      order_number: '',
      order_date: null,
      order_title: 'О закреплении кураторов',
    },
  });
  const { register, control, handleSubmit, formState, watch } = form;
  const errors = formState.errors;
  const mode = watch('order_mode');
  const [closeQuestion, close] = useCloseGuard(formState.isDirty, onClose);
  const [curatorId, schoolId, dateFrom, dateTo] = watch(['curator_id', 'school_id', 'date_from', 'date_to']);
  const span = { school_id: schoolId, curator_id: curatorId, date_from: dateFrom, date_to: dateTo ?? null };
  const overlaps = useCall('assignments.overlaps', span, { enabled: !existing && assignmentShape.pick({ school_id: true, curator_id: true, date_from: true, date_to: true }).safeParse(span).success });
  const clashes = (!existing && overlaps.data) || [];
  const endable = clashes.every((c) => c.can_end);
  const [overlapChoice, setOverlapChoice] = useState<OverlapChoice>('end_earlier');
  const choice: OverlapChoice = endable ? overlapChoice : 'keep_both';

  const submit = handleSubmit(async (v) => {
    setBanner(null);
    // A new order travels with the assignment: the core creates both in one transaction or neither.
    const order =
      v.order_mode === 'new'
        ? { order_id: null, new_order: { number: v.order_number, date: v.order_date ?? '', title: v.order_title, issuer: null } }
        : { order_id: v.order_mode === 'existing' ? v.order_id : null };
    const r = existing
      ? await call('assignments.update', {
          id: existing.id,
          patch: { date_from: v.date_from, date_to: v.date_to, order_id: order.order_id },
          ...('new_order' in order ? { new_order: order.new_order } : {}),
        })
      : await call('assignments.create', {
          curator_id: v.curator_id,
          school_id: v.school_id,
          date_from: v.date_from,
          date_to: v.date_to,
          ...order,
          ...(clashes.length ? { overlap: choice } : {}),
        });
    if (!r.ok) {
      setBanner(applyServerError(form, r.error, FIELDS, ORDER_FIELDS));
      return;
    }
    toast(a.saved);
    onClose();
  }, focusFirstError(form, FIELDS));

  return (
    <Modal
      title={existing ? a.editTitle : a.title}
      onClose={close}
      width={600}
      footer={
        <>
          <span className="muted small grow">{t.common.shortcutsHint}</span>
          <button type="button" onClick={close}>
            {t.common.cancel}
          </button>
          <button type="submit" form="assignment-form" className="primary" disabled={formState.isSubmitting}>
            {formState.isSubmitting ? t.common.saving : t.common.save}
          </button>
        </>
      }
    >
      <form id="assignment-form" noValidate onSubmit={submit} onKeyDown={formKeys(() => void submit())}>
        {closeQuestion}
        {banner && (
          <div className="form-error" role="alert">
            {banner}
          </div>
        )}
        <LookupField
          control={control}
          name="curator_id"
          label={a.curator}
          error={errors.curator_id?.message}
          required
          initialLabel={curator?.label ?? null}
          disabled={!!existing || !!curator}
          search={(q) => searchPeople(q, 'curator')}
          placeholder={a.curatorPlaceholder}
          empty=""
        />
        <LookupField
          control={control}
          name="school_id"
          label={a.school}
          error={errors.school_id?.message}
          required
          initialLabel={school?.label ?? null}
          disabled={!!existing || !!school}
          search={searchSchools}
          placeholder={a.schoolPlaceholder}
          empty=""
        />
        <div className="form-row">
          <DateField form={form} name="date_from" label={a.from} required />
          <DateField form={form} name="date_to" label={a.to} hint={a.toHint} />
        </div>
        {clashes.length > 0 && (
          <div className="form-warning" role="status" aria-label={a.overlapTitle}>
            <strong>{a.overlapTitle}</strong>
            <ul>
              {clashes.map((c) => (
                <li key={c.id}>{a.overlapOne(c.curator_name, formatDate(c.date_from), c.date_to ? formatDate(c.date_to) : null)}</li>
              ))}
            </ul>
            {endable ? (
              <div role="radiogroup" aria-label={a.overlapTitle}>
                <label className="check">
                  <input type="radio" name="overlap" checked={choice === 'end_earlier'} onChange={() => setOverlapChoice('end_earlier')} />
                  {a.endEarlier(formatDate(dateFrom))}
                </label>
                <label className="check">
                  <input type="radio" name="overlap" checked={choice === 'keep_both'} onChange={() => setOverlapChoice('keep_both')} />
                  {a.keepBoth}
                </label>
              </div>
            ) : (
              <p>
                {a.cannotEnd} {a.keepBoth}.
              </p>
            )}
          </div>
        )}
        <fieldset className="subform">
          <legend>{a.order}</legend>
          <div className="segmented" role="radiogroup" aria-label={a.order}>
            {(['existing', 'new', 'none'] as const).map((m) => (
              <label key={m} className={mode === m ? 'on' : undefined}>
                <input type="radio" value={m} {...register('order_mode')} />
                {m === 'existing' ? a.orderExisting : m === 'new' ? a.orderNew : a.orderNone}
              </label>
            ))}
          </div>
          {mode === 'existing' && (
            <Field label={a.order} error={errors.order_id?.message} required>
              {({ id, describedBy }) => (
                <select
                  id={id}
                  {...register('order_id', { setValueAs: (v: unknown) => (v ? String(v) : null) })}
                  aria-invalid={!!errors.order_id || undefined}
                  aria-describedby={describedBy}
                >
                  <option value="">{a.chooseOrder}</option>
                  {orders.data?.map((o) => (
                    <option key={o.id} value={o.id}>
                      {orderLabel(o)} — {o.title}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          {mode === 'new' && (
            <>
              <div className="form-row">
                <Field label={a.orderNumber} error={errors.order_number?.message} required>
                  {({ id, describedBy }) => (
                    <input id={id} className="narrow" {...register('order_number')} aria-invalid={!!errors.order_number || undefined} aria-describedby={describedBy} />
                  )}
                </Field>
                <DateField form={form} name="order_date" label={a.orderDate} required />
              </div>
              <Field label={a.orderTitle} error={errors.order_title?.message} required>
                {({ id, describedBy }) => (
                  <input
                    id={id}
                    {...register('order_title')}
                    placeholder={a.orderTitlePlaceholder}
                    aria-invalid={!!errors.order_title || undefined}
                    aria-describedby={describedBy}
                  />
                )}
              </Field>
            </>
          )}
        </fieldset>
      </form>
    </Modal>
  );
}

function DateField({
  form,
  name,
  label,
  hint,
  required,
}: {
  form: ReturnType<typeof useForm<Values, unknown, Parsed>>;
  name: 'date_from' | 'date_to' | 'order_date';
  label: string;
  hint?: string;
  required?: boolean;
}) {
  const error = form.formState.errors[name]?.message;
  return (
    <Field label={label} error={error} hint={hint} required={required}>
      {({ id, describedBy }) => (
        <Controller
          control={form.control}
          name={name}
          render={({ field }) => (
            <DateInput
              id={id}
              ref={field.ref}
              value={field.value}
              onChange={field.onChange}
              onBlur={field.onBlur}
              invalid={!!error}
              describedBy={describedBy}
            />
          )}
        />
      )}
    </Field>
  );
}
