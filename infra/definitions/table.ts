/**
 * The one DynamoDB table of factuur, as plain data: the CDK stack builds its TableV2 from this, and the local
 * cloud creates the same table in DynamoDB Local from it (one source of truth).
 *
 * Single-table design. The item types and every access pattern are documented in
 * functions/adapters/dynamodb/table-design.md next to the code that uses them.
 */
export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N';
}

export interface GlobalSecondaryIndexDesign {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
}

export interface TableDesign {
  /** Name of the table in the local cloud; on AWS CloudFormation names it. */
  readonly localTableName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  readonly globalSecondaryIndexes: readonly GlobalSecondaryIndexDesign[];
  /** Epoch-seconds attribute after which DynamoDB deletes an item (idempotency records). */
  readonly timeToLiveAttribute: string;
}

export const tableDesign: TableDesign = {
  localTableName: 'factuur',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: [
    { indexName: 'gsi1', partitionKey: { name: 'gsi1pk', type: 'S' }, sortKey: { name: 'gsi1sk', type: 'S' } },
    { indexName: 'gsi2', partitionKey: { name: 'gsi2pk', type: 'S' }, sortKey: { name: 'gsi2sk', type: 'S' } },
    { indexName: 'gsi3', partitionKey: { name: 'gsi3pk', type: 'S' }, sortKey: { name: 'gsi3sk', type: 'S' } },
    { indexName: 'gsi4', partitionKey: { name: 'gsi4pk', type: 'S' }, sortKey: { name: 'gsi4sk', type: 'S' } },
  ],
  timeToLiveAttribute: 'expiresAt',
};
