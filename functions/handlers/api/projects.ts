import { cutOffFor, runDates, toDayNumber } from '../../domain/index.ts';
import { getProject, projectsPage } from '../../adapters/dynamodb/setup-store.ts';
import { changeProject, createProject } from '../wiring/setup.ts';
import { badRequest, decodeCursor, encodeCursor, httpApi, limitOf, notFound } from '../../shared/http-api.ts';
import { customerAndProjectOperations, setupSchemas } from '../../api/openapi/setup.ts';
import type { Contract } from '../../api/openapi/schema.ts';

/** The part of the OpenAPI document this module's routes are validated by. */
export const contract: Contract = { operations: customerAndProjectOperations, schemas: setupSchemas };

/** /projects (one Lambda); manual invoicing of a project is api/manual-invoicing. */
export const handler = httpApi(contract, {
  'GET /projects': async (request) => {
    const page = await projectsPage(
      limitOf(request),
      decodeCursor(request.query.cursor, ['pk', 'sk', 'gsi1pk', 'gsi1sk'], { gsi1pk: 'PROJECTS' }),
    );
    return { status: 200, body: { items: page.items, next: encodeCursor(page.next) } };
  },
  'GET /projects/{projectId}': async (request) => {
    const project = await getProject(request.path.projectId as string);
    if (!project) throw notFound(`project ${request.path.projectId}`);
    return { status: 200, body: project, version: project.version };
  },
  'POST /projects': async (request) => {
    const project = await createProject(request.body as Parameters<typeof createProject>[0]);
    return { status: 201, body: project, version: project.version, headers: { location: `/projects/${project.id}` } };
  },
  'PUT /projects/{projectId}': async (request) => {
    const project = await changeProject(
      request.path.projectId as string,
      request.ifMatch(),
      request.body as Parameters<typeof createProject>[0],
    );
    return { status: 200, body: project, version: project.version };
  },
  'GET /projects/{projectId}/run-dates': async (request) => {
    const { from, to } = request.query as { from: string; to: string };
    let span: number;
    try {
      span = toDayNumber(to) - toDayNumber(from);
    } catch {
      throw badRequest('from', 'from and to must be real dates');
    }
    if (span < 0) throw badRequest('to', 'to must not be before from');
    if (span > 366) throw badRequest('to', 'at most 366 days at once');
    const project = await getProject(request.path.projectId as string);
    if (!project) throw notFound(`project ${request.path.projectId}`);
    return {
      status: 200,
      body: {
        items: runDates(project.frequency, from, to).map((runDate) => ({ runDate, cutOff: cutOffFor(runDate) })),
      },
    };
  },
});
