/**
 * What the table stores, item by item (keys and index attributes are added by the stores): the setup records are
 * owned by the setup use cases' ports (functions/setup/ports.ts).
 */
export type {
  BillingState,
  CustomerRecord,
  MilestoneRecord,
  ProjectRecord,
  TransactionRecord,
} from '../../setup/ports.ts';

/** Strips the table's own attributes from an item read back. */
export function withoutKeys<T>(item: Record<string, unknown>): T {
  const {
    pk: _pk,
    sk: _sk,
    gsi1pk: _g1,
    gsi1sk: _g1s,
    gsi2pk: _g2,
    gsi2sk: _g2s,
    gsi3pk: _g3,
    gsi3sk: _g3s,
    gsi4pk: _g4,
    gsi4sk: _g4s,
    entity: _entity,
    expiresAt: _expiresAt,
    ...rest
  } = item;
  return rest as T;
}
