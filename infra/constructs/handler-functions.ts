import { ArnFormat, type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { RouteDefinition } from '../definitions/routes.ts';
import type { WorkflowDefinition } from '../definitions/workflows.ts';
import {
  permissionsOf,
  stateMachineArnVariable,
  workflowPermission,
  type HandlerPermission,
  type WorkflowAction,
} from '../permissions.ts';
import { pascalCase } from '../stack-definitions.ts';
import type { TableDesign } from '../definitions/table.ts';
import { HandlerFunction } from './handler-function.ts';

/** What `ses:send` grants on: the sender identity and the configuration set every send must use. */
export interface MailSendingTarget {
  readonly senderEmail: string;
  readonly identityArn: string;
  readonly configurationSetName: string;
  readonly configurationSetArn: string;
}

export interface HandlerFunctionsProps {
  /** Handler module ids, each gets one function. */
  readonly handlers: readonly string[];
  readonly routes: readonly RouteDefinition[];
  readonly workflows: readonly WorkflowDefinition[];
  readonly handlerEntry: (handler: string) => string;
  readonly permissions: Readonly<Record<string, readonly HandlerPermission[]>>;
  readonly projectRoot: string;
  readonly table: ITableV2;
  readonly tableDesign: TableDesign;
  readonly mail: MailSendingTarget;
  /** The archive of issued documents (`archive:read`, `archive:write`). */
  readonly documentArchive: IBucket;
  /** The firm's IANA time zone: run dates and "today" are reckoned in it. */
  readonly firmTimeZone: string;
}

const tableReadActions = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];
const tableWriteActions = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
const workflowActions: Record<WorkflowAction, string> = {
  start: 'states:StartExecution',
  describe: 'states:DescribeExecution',
  list: 'states:ListExecutions',
};

/** ARN of the state machine of a workflow; its name is the workflow name (see workflows.ts). */
export function stateMachineArn(scope: Construct, workflow: string): string {
  return Stack.of(scope).formatArn({
    service: 'states',
    resource: 'stateMachine',
    resourceName: workflow,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

function executionsArn(scope: Construct, workflow: string): string {
  return Stack.of(scope).formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: `${workflow}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/**
 * One {@link HandlerFunction} per handler module, each granted exactly what infra/permissions.ts declares for it.
 * Timeouts: route handlers 25 s (the HTTP API waits at most 30 s), workflow task handlers 2 min.
 */
export class HandlerFunctions extends Construct {
  readonly byHandler: ReadonlyMap<string, HandlerFunction>;

  constructor(scope: Construct, id: string, props: HandlerFunctionsProps) {
    super(scope, id);
    const routeHandlers = new Set(props.routes.map((route) => route.handler));
    const workflowNames = new Set(props.workflows.map((workflow) => workflow.name));
    const byHandler = new Map<string, HandlerFunction>();

    for (const handler of props.handlers) {
      const permissions = permissionsOf(handler, props.permissions);
      const environment: Record<string, string> = {
        TABLE_NAME: props.table.tableName,
        FIRM_TIME_ZONE: props.firmTimeZone,
      };
      const statements: PolicyStatement[] = [];

      for (const permission of permissions) {
        if (permission === 'table:read') {
          statements.push(
            new PolicyStatement({
              sid: 'TableRead',
              actions: tableReadActions,
              resources: [
                props.table.tableArn,
                // Each index by name rather than `index/*`: no wildcard resource.
                ...props.tableDesign.globalSecondaryIndexes.map(
                  (index) => `${props.table.tableArn}/index/${index.indexName}`,
                ),
              ],
            }),
          );
        } else if (permission === 'table:write') {
          statements.push(
            new PolicyStatement({ sid: 'TableWrite', actions: tableWriteActions, resources: [props.table.tableArn] }),
          );
        } else if (permission === 'archive:read') {
          environment.DOCUMENT_BUCKET = props.documentArchive.bucketName;
          statements.push(
            new PolicyStatement({
              sid: 'ArchiveRead',
              actions: ['s3:GetObject'],
              resources: [props.documentArchive.arnForObjects('invoices/*')],
            }),
            new PolicyStatement({
              sid: 'ArchiveList',
              actions: ['s3:ListBucket'],
              resources: [props.documentArchive.bucketArn],
              conditions: { StringLike: { 's3:prefix': 'invoices/*' } },
            }),
          );
        } else if (permission === 'archive:write') {
          environment.DOCUMENT_BUCKET = props.documentArchive.bucketName;
          statements.push(
            new PolicyStatement({
              sid: 'ArchiveWrite',
              actions: ['s3:PutObject'],
              resources: [props.documentArchive.arnForObjects('invoices/*')],
            }),
          );
        } else if (permission === 'ses:send') {
          environment.SENDER_EMAIL = props.mail.senderEmail;
          environment.SES_CONFIGURATION_SET = props.mail.configurationSetName;
          statements.push(
            new PolicyStatement({
              sid: 'SesSend',
              actions: ['ses:SendEmail', 'ses:SendRawEmail'],
              resources: [props.mail.identityArn, props.mail.configurationSetArn],
              conditions: { StringEquals: { 'ses:FromAddress': props.mail.senderEmail } },
            }),
          );
        } else {
          const workflow = workflowPermission(permission);
          if (!workflow) throw new Error(`Handler ${handler}: unknown permission '${permission}'`);
          if (!workflowNames.has(workflow.workflow)) {
            throw new Error(`Handler ${handler}: permission '${permission}' names no workflow in workflows.ts`);
          }
          environment[stateMachineArnVariable(workflow.workflow)] = stateMachineArn(this, workflow.workflow);
          statements.push(
            new PolicyStatement({
              sid: `States${pascalCase(workflow.action)}${pascalCase(workflow.workflow)}`,
              actions: [workflowActions[workflow.action]],
              resources: [
                workflow.action === 'describe'
                  ? executionsArn(this, workflow.workflow)
                  : stateMachineArn(this, workflow.workflow),
              ],
            }),
          );
        }
      }

      const fn = new HandlerFunction(this, pascalCase(handler), {
        handler,
        entry: props.handlerEntry(handler),
        projectRoot: props.projectRoot,
        environment,
        timeout: routeHandlers.has(handler) ? Duration.seconds(25) : Duration.minutes(2),
        // Whatever sends invoices renders their PDF, with these fonts.
        documentFonts: permissions.includes('ses:send'),
      });
      for (const statement of statements) fn.role.addToPrincipalPolicy(statement);
      if (permissions.includes('archive:read') || permissions.includes('archive:write')) {
        const bucketId = Stack.of(this).getLogicalId(props.documentArchive.node.defaultChild as CfnElement);
        Validations.of(fn.role).acknowledge({
          id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/invoices/*]`,
          reason:
            `${handler} reads or writes archived documents, one object per issued invoice and kind ` +
            '(invoices/<invoice id>/...); the wildcard covers only that prefix of the document archive bucket.',
        });
      }
      for (const permission of permissions) {
        const workflow = workflowPermission(permission);
        if (workflow?.action !== 'describe') continue;
        Validations.of(fn.role).acknowledge({
          id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${workflow.workflow}:*]`,
          reason:
            `${handler} declares ${permission}: DescribeExecution needs execution ARNs, whose names are chosen per ` +
            `run; the wildcard covers only executions of the ${workflow.workflow} state machine.`,
        });
      }
      byHandler.set(handler, fn);
    }
    this.byHandler = byHandler;
  }

  get(handler: string): HandlerFunction {
    const fn = this.byHandler.get(handler);
    if (!fn) throw new Error(`No function for handler module ${handler}`);
    return fn;
  }
}
