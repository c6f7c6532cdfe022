import { useApp, useLookups } from '../app-context.tsx';
import { useI18n } from '../i18n.tsx';
import { PageTitle } from '../ui.tsx';

/** Setup data (admin): customers and projects, read here; maintained through the API. */
export function Setup() {
  const { can } = useApp();
  const { t } = useI18n();
  const { customers, projects, loaded } = useLookups();
  if (!loaded) return <p role="status">{t('loading')}</p>;
  return (
    <>
      <PageTitle>{t('setupTitle')}</PageTitle>
      {can('admin') && <p>{t('setupNote')}</p>}
      <table>
        <caption>{t('customers')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('name')}</th>
            <th scope="col">{t('email')}</th>
            <th scope="col">{t('language')}</th>
          </tr>
        </thead>
        <tbody>
          {[...customers.values()].map((customer) => (
            <tr key={customer.id}>
              <td>{customer.name}</td>
              <td>{customer.email ?? ''}</td>
              <td>{customer.language ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table>
        <caption>{t('projects')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('name')}</th>
            <th scope="col">{t('customer')}</th>
            <th scope="col">{t('currency')}</th>
          </tr>
        </thead>
        <tbody>
          {[...projects.values()].map((project) => (
            <tr key={project.id}>
              <td>{project.name}</td>
              <td>{customers.get(project.customerId)?.name ?? project.customerId}</td>
              <td>{project.currency}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
