import { useCallback, useEffect, useState } from 'react';
import { answer } from '../api.ts';
import { useApp } from '../app-context.tsx';
import { useI18n } from '../i18n.tsx';
import type { Customer, Project } from '../types.ts';
import { ErrorText, PageTitle, Status } from '../ui.tsx';
import { CustomerForm } from './setup/CustomerForm.tsx';
import { Milestones } from './setup/Milestones.tsx';
import { ProjectForm } from './setup/ProjectForm.tsx';

/** Setup (admin): the firm's settings, customers and projects (with the invoice frequency), created and edited here. */
export function Setup() {
  const { client, can } = useApp();
  const { t } = useI18n();
  const [customers, setCustomers] = useState<Customer[]>();
  const [projects, setProjects] = useState<Project[]>([]);
  const [editing, setEditing] = useState<{ kind: 'customer'; item?: Customer } | { kind: 'project'; item?: Project }>();
  const [reviewBeforeSend, setReviewBeforeSend] = useState<boolean>();
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<unknown>();
  const admin = can('admin');

  const load = useCallback(async () => {
    try {
      const [c, p, s] = await Promise.all([
        answer(client.GET('/customers', { params: { query: { limit: '500' } } })),
        answer(client.GET('/projects', { params: { query: { limit: '500' } } })),
        answer(client.GET('/settings')),
      ]);
      setCustomers(c.data.items);
      setProjects(p.data.items);
      setReviewBeforeSend(s.data.reviewBeforeSend);
    } catch (caught) {
      setError(caught);
    }
  }, [client]);
  useEffect(() => {
    void load();
  }, [load]);

  const saveSetting = async (value: boolean) => {
    setError(undefined);
    const before = reviewBeforeSend;
    setReviewBeforeSend(value); // shown at once; put back when the API refuses
    try {
      const { data } = await answer(client.PATCH('/settings', { body: { reviewBeforeSend: value } }));
      setReviewBeforeSend(data.reviewBeforeSend);
      setNotice(t('settingsSaved'));
    } catch (caught) {
      setReviewBeforeSend(before);
      setError(caught);
    }
  };
  const saved = (message: string) => {
    setEditing(undefined);
    setNotice(message);
    void load();
  };

  if (!customers) return error ? <ErrorText error={error} /> : <p role="status">{t('loading')}</p>;
  const names = new Map(customers.map((customer) => [customer.id, customer.name]));
  return (
    <>
      <PageTitle>{t('setupTitle')}</PageTitle>
      {notice && <Status>{notice}</Status>}
      <ErrorText error={error} />
      <section aria-labelledby="settings-title">
        <h2 id="settings-title">{t('settings')}</h2>
        <label className="check">
          <input
            type="checkbox"
            checked={reviewBeforeSend === true}
            disabled={!admin}
            onChange={(event) => void saveSetting(event.target.checked)}
            aria-describedby="review-help"
          />
          {t('reviewSetting')}
        </label>
        <p id="review-help">{t('reviewSettingHelp')}</p>
      </section>

      {editing?.kind === 'customer' && (
        <CustomerForm
          {...(editing.item ? { customer: editing.item } : {})}
          onSaved={(customer) => saved(t('customerSaved', { name: customer.name }))}
          onCancel={() => setEditing(undefined)}
        />
      )}
      {editing?.kind === 'project' && (
        <ProjectForm
          {...(editing.item ? { project: editing.item } : {})}
          customers={customers}
          onSaved={(project) => saved(t('projectSaved', { name: project.name }))}
          onCancel={() => setEditing(undefined)}
        />
      )}
      {editing?.kind === 'project' && editing.item && <Milestones project={editing.item} />}

      <section aria-labelledby="customers-title">
        <h2 id="customers-title">{t('customers')}</h2>
        {admin && !editing && (
          <button type="button" className="primary" onClick={() => setEditing({ kind: 'customer' })}>
            {t('newCustomer')}
          </button>
        )}
        <table>
          <caption>{t('customers')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('name')}</th>
              <th scope="col">{t('email')}</th>
              <th scope="col">{t('language')}</th>
              <th scope="col">{t('paymentTermsDays')}</th>
              {admin && <th scope="col">{t('actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {customers.map((customer) => (
              <tr key={customer.id}>
                <td>{customer.name}</td>
                <td>{customer.email ?? ''}</td>
                <td>{customer.language ?? ''}</td>
                <td>{customer.paymentTermsDays ?? t('defaultTerms')}</td>
                {admin && (
                  <td>
                    <button
                      type="button"
                      disabled={Boolean(editing)}
                      onClick={() => setEditing({ kind: 'customer', item: customer })}
                    >
                      {t('editCustomer', { name: customer.name })}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="projects-title">
        <h2 id="projects-title">{t('projects')}</h2>
        {admin && !editing && customers.length > 0 && (
          <button type="button" className="primary" onClick={() => setEditing({ kind: 'project' })}>
            {t('newProject')}
          </button>
        )}
        <table>
          <caption>{t('projects')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('name')}</th>
              <th scope="col">{t('customer')}</th>
              <th scope="col">{t('currency')}</th>
              {admin && <th scope="col">{t('actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {projects.map((project) => (
              <tr key={project.id}>
                <td>{project.name}</td>
                <td>{names.get(project.customerId) ?? project.customerId}</td>
                <td>{project.currency}</td>
                {admin && (
                  <td>
                    <button
                      type="button"
                      disabled={Boolean(editing)}
                      onClick={() => setEditing({ kind: 'project', item: project })}
                    >
                      {t('editProject', { name: project.name })}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
