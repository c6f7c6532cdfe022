import { useState, type FormEvent } from 'react';
import { answer, postHeaders } from '../../api.ts';
import { useApp } from '../../app-context.tsx';
import { Dialog } from '../../dialog.tsx';
import { useI18n } from '../../i18n.tsx';
import type { Invoice } from '../../types.ts';
import type { InvoiceState } from './use-invoice.ts';

/**
 * Review before sending (a firm setting): submit a draft, approve it as ANOTHER billing user, or return it to draft
 * with a comment. Shows who submitted, approved or returned it, also when the setting is off.
 */
export function ReviewPanel(props: { state: InvoiceState; invoice: Invoice; reviewOn: boolean; mayEdit: boolean }) {
  const { state, invoice, reviewOn, mayEdit } = props;
  const { client, session } = useApp();
  const { t, dateTime } = useI18n();
  const [returning, setReturning] = useState(false);
  const [comment, setComment] = useState('');
  const review = invoice.review;
  if (!reviewOn && !review) return null;
  const path = { invoiceId: invoice.id };

  const step = (which: 'submit' | 'approve', message: string) =>
    state.change(async () => {
      const call =
        which === 'submit'
          ? client.POST('/invoices/{invoiceId}/submit', { params: { path, header: postHeaders(invoice.version) } })
          : client.POST('/invoices/{invoiceId}/approve', { params: { path, header: postHeaders(invoice.version) } });
      const { data } = await answer(call);
      await state.applied(data, message);
    });

  const sendBack = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await state.change(async () => {
      const { data } = await answer(
        client.POST('/invoices/{invoiceId}/return', {
          params: { path, header: postHeaders(invoice.version) },
          body: { comment },
        }),
      );
      await state.applied(data, t('returned'));
    });
    if (ok) {
      setReturning(false);
      setComment('');
    }
  };

  const own = review?.submittedBy === session.username;
  return (
    <section aria-labelledby="review-title">
      <h2 id="review-title">{t('review')}</h2>
      {reviewOn && (invoice.status === 'draft' || invoice.status === 'in_review') && <p>{t('reviewOn')}</p>}
      {review && invoice.status === 'in_review' && !review.approvedBy && (
        <p data-testid="review-state">
          {t('submittedBy', { user: review.submittedBy, when: dateTime(review.submittedAt) })}
        </p>
      )}
      {review?.approvedBy && (
        <p data-testid="review-state">
          {t('approvedBy', { user: review.approvedBy, when: dateTime(review.approvedAt) })}
        </p>
      )}
      {review?.returnedBy && invoice.status === 'draft' && (
        <p data-testid="review-returned">
          {t('returnedBy', {
            user: review.returnedBy,
            when: dateTime(review.returnedAt),
            comment: review.comment ?? '',
          })}
        </p>
      )}
      {mayEdit && (
        <div className="actions">
          {reviewOn && invoice.status === 'draft' && (
            <button type="button" onClick={() => void step('submit', t('submitted'))} disabled={state.busy}>
              {t('submitForReview')}
            </button>
          )}
          {invoice.status === 'in_review' && !review?.approvedBy && !own && (
            <button
              type="button"
              className="primary"
              onClick={() => void step('approve', t('approved'))}
              disabled={state.busy}
            >
              {t('approve')}
            </button>
          )}
          {invoice.status === 'in_review' && own && !review?.approvedBy && <p>{t('ownSubmission')}</p>}
          {invoice.status === 'in_review' && (
            <button type="button" onClick={() => setReturning(true)} disabled={state.busy}>
              {t('returnToDraft')}
            </button>
          )}
        </div>
      )}
      <Dialog open={returning} title={t('returnToDraft')} onClose={() => setReturning(false)}>
        <form className="stacked-form" onSubmit={(event) => void sendBack(event)}>
          <label>
            {t('returnComment')}
            <textarea
              value={comment}
              required
              maxLength={1000}
              rows={3}
              onChange={(event) => setComment(event.target.value)}
            />
          </label>
          <div className="buttons">
            <button type="submit" className="primary" disabled={state.busy}>
              {t('returnToDraft')}
            </button>
            <button type="button" onClick={() => setReturning(false)}>
              {t('cancel')}
            </button>
          </div>
        </form>
      </Dialog>
    </section>
  );
}
