import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { openApiDocument } from '../../api/openapi.ts';

const body = JSON.stringify(openApiDocument());

/** GET /openapi.json (public): the contract requests are validated against. */
export async function handler(): Promise<APIGatewayProxyStructuredResultV2> {
  return { statusCode: 200, headers: { 'content-type': 'application/json', 'cache-control': 'max-age=300' }, body };
}
