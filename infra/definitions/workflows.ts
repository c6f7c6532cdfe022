/**
 * The state machines of factuur. Each is an ASL file in workflows/ whose Task states name their Lambda as a
 * `${Placeholder}` Resource; `tasks` binds each placeholder to a handler module under functions/handlers/.
 * The CDK stack turns each placeholder into a DefinitionSubstitution with that function's ARN; the local
 * Step Functions endpoint runs the same file and calls the same module for every Task with that Resource.
 */
export interface WorkflowDefinition {
  /** State machine name (also the last part of its ARN). */
  readonly name: string;
  /** Path of the ASL file, relative to the repository root. */
  readonly file: string;
  /** DefinitionSubstitution key (as used in `${Key}`) -> handler module under functions/handlers/. */
  readonly tasks: Readonly<Record<string, string>>;
}

export const workflows: readonly WorkflowDefinition[] = [
  {
    name: 'invoice-run',
    file: 'workflows/invoice-run.asl.json',
    tasks: {
      PlanRunDatesFunctionArn: 'workflow/plan-run-dates',
      FindDueProjectsFunctionArn: 'workflow/find-due-projects',
      InvoiceProjectFunctionArn: 'workflow/invoice-project',
      RecordRunFailureFunctionArn: 'workflow/record-run-failure',
      CompleteRunDateFunctionArn: 'workflow/complete-run-date',
    },
  },
  {
    name: 'reminder-run',
    file: 'workflows/reminder-run.asl.json',
    tasks: {
      PlanReminderRunFunctionArn: 'workflow/plan-reminder-run',
      FindOverdueInvoicesFunctionArn: 'workflow/find-overdue-invoices',
      SendReminderFunctionArn: 'workflow/send-reminder',
      RecordReminderFailureFunctionArn: 'workflow/record-reminder-failure',
      TallyRemindersFunctionArn: 'workflow/tally-reminders',
    },
  },
  {
    name: 'deliver-invoices',
    file: 'workflows/deliver-invoices.asl.json',
    tasks: { SweepOutboxFunctionArn: 'workflow/sweep-outbox' },
  },
  {
    name: 'reconcile-runs',
    file: 'workflows/reconcile-runs.asl.json',
    tasks: { ReconcileRunsFunctionArn: 'workflow/reconcile-runs' },
  },
];

export function workflowHandlers(): string[] {
  return [...new Set(workflows.flatMap((workflow) => Object.values(workflow.tasks)))];
}
