import { dynamoProjectSchedule } from '../../adapters/dynamodb/run-sources.ts';
import { findDueProjects } from '../../invoice-runs/find-due-projects.ts';
import { workflowTask } from '../../shared/workflow-task.ts';

const ports = { schedule: dynamoProjectSchedule };

export const handler = workflowTask((input: { runDate?: unknown; projectIds?: unknown; cursor?: unknown }) =>
  findDueProjects(ports, input),
);
