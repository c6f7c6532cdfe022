import { describe, expect, it } from 'vitest';
import { cloud } from './clients.ts';

describe('local HTTP API', () => {
  it('GET /health goes through the handler to DynamoDB and answers 200 with the table status', async () => {
    const response = await fetch(`${cloud.api}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ status: 'ok', table: { name: cloud.tableName, status: 'ACTIVE' } });
  });

  it('answers 404 as API Gateway does for a route that is not in the route table', async () => {
    const response = await fetch(`${cloud.api}/nowhere`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Not Found' });
    const wrongMethod = await fetch(`${cloud.api}/health`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(404);
  });
});
