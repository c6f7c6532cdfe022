import { planRunDates, type PlanRunDatesInput } from '../../invoice-runs/plan-run-dates.ts';
import { firmTimeZone } from '../../shared/firm.ts';
import { workflowTask } from '../../shared/workflow-task.ts';

export const handler = workflowTask((input: PlanRunDatesInput) => planRunDates(input, firmTimeZone()));
