import { findDueProjects } from '../../invoice-runs/find-due-projects.ts';
import { workflowTask } from '../../shared/workflow-task.ts';

export const handler = workflowTask((input: { runDate?: unknown; projectIds?: unknown; cursor?: unknown }) =>
  findDueProjects(input),
);
