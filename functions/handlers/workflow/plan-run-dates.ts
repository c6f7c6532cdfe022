import { planRunDates, type PlanRunDatesInput } from '../../invoice-runs/plan-run-dates.ts';
import { firmTimeZone, workflowTask } from '../../shared/workflow-task.ts';

export const handler = workflowTask((input: PlanRunDatesInput) => planRunDates(input, firmTimeZone()));
