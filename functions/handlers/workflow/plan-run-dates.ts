import { dynamoRunCalendar } from '../../adapters/dynamodb/runs-store.ts';
import { planRunDates, type PlanRunDatesInput } from '../../invoice-runs/plan-run-dates.ts';
import { firmTimeZone } from '../../shared/firm.ts';
import { workflowTask } from '../../shared/workflow-task.ts';

const ports = { calendar: dynamoRunCalendar };

export const handler = workflowTask((input: PlanRunDatesInput) => planRunDates(ports, input, firmTimeZone()));
