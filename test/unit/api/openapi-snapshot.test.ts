import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../../functions/api/openapi.ts';
import { handler } from '../../../functions/handlers/api/openapi.ts';

/**
 * The served contract, byte for byte: the SHA-256 of GET /openapi.json as the single-file openapi.ts served it
 * before the per-feature split (functions/api/openapi/). A refactoring of the document's sources cannot change
 * it; a deliberate change of the contract updates this hash in the same commit (and `npm run generate:api`).
 */
const servedSha256 = '076d2c03cf217e798694a8c7b74642b0e07a2ebcb38e1c634445f1abd74ca642';

describe('the served OpenAPI document', () => {
  it('is the checked document, byte for byte', async () => {
    const answer = await handler();
    expect(answer.statusCode).toBe(200);
    expect(createHash('sha256').update(String(answer.body)).digest('hex')).toBe(servedSha256);
  });

  it('is what openApiDocument() builds, every time', () => {
    const once = JSON.stringify(openApiDocument());
    expect(JSON.stringify(openApiDocument())).toBe(once);
    expect(createHash('sha256').update(once).digest('hex')).toBe(servedSha256);
  });
});
