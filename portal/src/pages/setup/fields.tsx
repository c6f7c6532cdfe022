import { type FormEvent, type ReactNode, useState } from 'react';
import { ApiError } from '../../api.ts';
import { useI18n } from '../../i18n.tsx';
import { ErrorText } from '../../ui.tsx';

/** The API's problem `field` shown next to the field it names (and linked to it for screen readers). */
export function problemField(error: unknown): string | undefined {
  return error instanceof ApiError ? error.problem.field : undefined;
}

export function Field(props: {
  label: string;
  name: string;
  error: unknown;
  children: (describedBy?: string) => ReactNode;
}) {
  const { t } = useI18n();
  const field = problemField(props.error);
  const names = field === props.name || field?.startsWith(`${props.name}.`) || field?.startsWith(`${props.name}[`);
  const id = `error-${props.name.replace(/[^A-Za-z0-9]/g, '-')}`;
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the child the caller renders
    <label>
      {props.label}
      {props.children(names ? id : undefined)}
      {names && props.error instanceof ApiError && (
        <span id={id} className="field-error">
          {t('fieldError', { field: field ?? '', message: props.error.problem.detail ?? '' })}
        </span>
      )}
    </label>
  );
}

/**
 * The save of a setup form: busy while the request runs, its problem kept for the fields (and shown by FormFooter),
 * the saved item handed on. `submit(request)` is the form's onSubmit.
 */
export function useSave<T>(onSaved: (saved: T) => void) {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = (request: () => Promise<T>) => async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onSaved(await request());
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, submit };
}

/** The end of a setup form: the problem the last save got, then save and cancel. */
export function FormFooter(props: { error: unknown; busy: boolean; saveLabel: string; onCancel(): void }) {
  const { t } = useI18n();
  return (
    <>
      <ErrorText error={props.error} />
      <div className="buttons">
        <button type="submit" className="primary" disabled={props.busy}>
          {props.saveLabel}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('cancel')}
        </button>
      </div>
    </>
  );
}
