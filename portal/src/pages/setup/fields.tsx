import type { ReactNode } from 'react';
import { ApiError } from '../../api.ts';
import { useI18n } from '../../i18n.tsx';

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
