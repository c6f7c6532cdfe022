import { projectMilestones } from '../../adapters/dynamodb/setup-store.ts';
import { changeMilestone, createMilestone } from '../wiring/setup.ts';
import { httpApi } from '../../shared/http-api.ts';
import { commonSchemas } from '../../api/openapi/common.ts';
import { recordedWorkOperations, recordedWorkSchemas } from '../../api/openapi/recorded-work.ts';
import type { Contract } from '../../api/openapi/schema.ts';

/** /milestones (one Lambda). A milestone lives in its project's partition, so changes name the project in the body. */
const withVersion = <T extends { version?: number }>(milestone: T) => ({
  ...milestone,
  version: milestone.version ?? 0,
});

/** The part of the OpenAPI document this module's routes are validated by. */
export const contract: Contract = {
  operations: recordedWorkOperations,
  schemas: { ...recordedWorkSchemas, ...commonSchemas },
};

export const handler = httpApi(contract, {
  'GET /milestones': async (request) => ({
    status: 200,
    body: { items: (await projectMilestones(request.query.projectId as string)).map(withVersion) },
  }),
  'POST /milestones': async (request) => {
    const milestone = await createMilestone(request.body as Parameters<typeof createMilestone>[0]);
    return { status: 201, body: withVersion(milestone), version: milestone.version ?? 0 };
  },
  'PUT /milestones/{milestoneId}': async (request) => {
    const milestone = await changeMilestone(
      request.path.milestoneId as string,
      request.ifMatch(),
      request.body as Parameters<typeof createMilestone>[0],
    );
    return { status: 200, body: withVersion(milestone), version: milestone.version ?? 0 };
  },
});
