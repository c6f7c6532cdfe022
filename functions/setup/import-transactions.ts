import { ImportRefused, NotFound } from '../shared/errors.ts';
import type { SetupStore } from './ports.ts';
import { readTransactionCsv, type CsvLocale } from './transaction-csv.ts';

/**
 * POST /projects/{id}/transactions/import: validates the whole file first (422 with every row's problems, nothing
 * written), then writes all rows, each a conditional Put on its id from the external id (A35): a row already
 * imported is left as it is, so the same file again adds nothing, and a retry after a crash halfway finishes it.
 */
export async function importTransactions(
  store: SetupStore,
  projectId: string,
  input: { locale: CsvLocale; csv: string },
): Promise<{ rows: number; created: number; unchanged: number }> {
  const project = await store.project(projectId);
  if (!project) throw new NotFound(`project ${projectId}`);
  const { rows, problems } = readTransactionCsv(
    projectId,
    input.csv,
    input.locale,
    new Set(project.contractLines.map((line) => line.id)),
  );
  if (problems.length > 0) {
    const first = problems[0] as (typeof problems)[number];
    throw new ImportRefused(
      'csv',
      `${problems.length} problem(s); nothing was imported. Row ${first.row}, ${first.field}: ${first.message}`,
      problems.slice(0, 500),
    );
  }
  let created = 0;
  for (let start = 0; start < rows.length; start += 16) {
    const outcomes = await Promise.all(
      rows.slice(start, start + 16).map((row) =>
        store.putNewTransaction({
          ...row,
          printedDescription: row.description,
          onHold: false,
          projectId,
          version: 1,
          billingState: 'unbilled',
          reservedBy: null,
        }),
      ),
    );
    created += outcomes.filter(Boolean).length;
  }
  return { rows: rows.length, created, unchanged: rows.length - created };
}
