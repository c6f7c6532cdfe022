import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { Stats } from 'aws-cdk-lib/aws-cloudwatch';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { roles } from './definitions/roles.ts';
import { DataTable } from './constructs/data-table.ts';
import { DocumentArchive } from './constructs/document-archive.ts';
import { HandlerFunctions } from './constructs/handler-functions.ts';
import { MailSending } from './constructs/mail-sending.ts';
import { OperationsAlarms } from './constructs/operations-alarms.ts';
import { PortalApi } from './constructs/portal-api.ts';
import { PortalHosting } from './constructs/portal-hosting.ts';
import { UserDirectory } from './constructs/user-directory.ts';
import { WorkflowSchedules } from './constructs/workflow-schedules.ts';
import { WorkflowStateMachine } from './constructs/workflow-state-machine.ts';
import { defaultDeploymentSettings, placeholderSenderEmail, type DeploymentSettings } from './settings.ts';
import {
  factuurDefinitions,
  handlerModules,
  pascalCase,
  repositoryRoot,
  type FactuurDefinitions,
} from './stack-definitions.ts';

export interface FactuurStackProps extends StackProps {
  readonly settings?: DeploymentSettings;
  /** What the stack is generated from; default: the shared definitions in infra/definitions. */
  readonly definitions?: FactuurDefinitions;
}

/**
 * factuur on AWS, generated from the shared definitions: the table from tableDesign, one function per handler
 * module of routes and workflows, one HTTP API route per route, one state machine per workflow, one schedule per
 * schedule. Adding a route, workflow or schedule to infra/definitions changes the stack without touching this file.
 */
export class FactuurStack extends Stack {
  readonly settings: DeploymentSettings;
  readonly table: DataTable;
  readonly documentArchive: DocumentArchive;
  readonly functions: HandlerFunctions;
  readonly users: UserDirectory;
  readonly api: PortalApi;
  readonly stateMachines: ReadonlyMap<string, StateMachine>;
  readonly schedules: WorkflowSchedules;
  readonly alarms: OperationsAlarms;
  readonly mail: MailSending;
  readonly portal: PortalHosting;

  constructor(scope: Construct, id: string, props: FactuurStackProps = {}) {
    super(scope, id, props);
    const settings = props.settings ?? defaultDeploymentSettings;
    const definitions = props.definitions ?? factuurDefinitions;
    this.settings = settings;

    this.table = new DataTable(this, 'Data', { design: definitions.tableDesign });
    this.portal = new PortalHosting(this, 'Portal', { buildDir: definitions.portalBuildDir });
    this.documentArchive = new DocumentArchive(this, 'Documents', {
      design: definitions.documentArchiveDesign,
      accessLogBucket: this.portal.logBucket,
    });
    const portalOrigin = settings.portalOrigin ?? `https://${this.portal.distribution.distributionDomainName}`;

    this.mail = new MailSending(this, 'Mail', {
      senderEmail: settings.senderEmail,
      configurationSetName: settings.sesConfigurationSetName,
      senderIsPlaceholder: settings.senderEmail === placeholderSenderEmail,
    });

    this.functions = new HandlerFunctions(this, 'Handlers', {
      handlers: handlerModules(definitions),
      routes: definitions.routes,
      workflows: definitions.workflows,
      handlerEntry: definitions.handlerEntry,
      permissions: definitions.handlerPermissions,
      projectRoot: repositoryRoot,
      table: this.table.table,
      tableDesign: definitions.tableDesign,
      mail: this.mail,
      documentArchive: this.documentArchive.bucket,
      firmTimeZone: settings.firm.timeZone,
    });
    const functionOf = (handler: string) => this.functions.get(handler).function;

    this.users = new UserDirectory(this, 'Users', { roles, portalOrigin });
    this.api = new PortalApi(this, 'PortalApi', {
      routes: definitions.routes,
      functionOf,
      userPool: this.users.userPool,
      userPoolClient: this.users.portalClient,
      allowedOrigin: portalOrigin,
    });
    this.portal.addRuntimeConfig({
      apiUrl: this.api.url,
      issuer: `https://cognito-idp.${this.region}.amazonaws.com/${this.users.userPool.userPoolId}`,
      clientId: this.users.portalClient.userPoolClientId,
      scope: 'openid email profile',
    });

    const stateMachines = new Map<string, StateMachine>();
    for (const workflow of definitions.workflows) {
      const { stateMachine } = new WorkflowStateMachine(this, `Workflow${pascalCase(workflow.name)}`, {
        workflow,
        aslFile: definitions.workflowFile(workflow.file),
        functionOf,
      });
      stateMachines.set(workflow.name, stateMachine);
    }
    this.stateMachines = stateMachines;

    this.schedules = new WorkflowSchedules(this, 'Schedules', {
      schedules: definitions.schedules(settings.firm),
      stateMachineOf: (workflow) => {
        const stateMachine = stateMachines.get(workflow);
        if (!stateMachine)
          throw new Error(`A schedule starts workflow '${workflow}', which workflows.ts does not define`);
        return stateMachine;
      },
    });

    this.alarms = new OperationsAlarms(this, 'Alarms', { alarmEmail: settings.alarmEmail });
    this.addAlarms();

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the portal API' });
    new CfnOutput(this, 'UserPoolId', { value: this.users.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.users.portalClient.userPoolClientId });
    new CfnOutput(this, 'PortalUrl', { value: portalOrigin, description: 'Where the portal is served' });
    new CfnOutput(this, 'PortalBucketName', { value: this.portal.bucket.bucketName });
    new CfnOutput(this, 'TableName', { value: this.table.table.tableName });
    new CfnOutput(this, 'DocumentBucketName', {
      value: this.documentArchive.bucket.bucketName,
      description: 'The archive of issued documents (Object Lock, compliance mode, 7 years)',
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
  }

  private addAlarms(): void {
    const period = OperationsAlarms.period;
    for (const [name, stateMachine] of this.stateMachines) {
      this.alarms.add(stateMachine, 'ExecutionsFailedAlarm', {
        metric: stateMachine.metricFailed({ period, statistic: Stats.SUM }),
        description: `A ${name} execution failed.`,
      });
    }
    this.alarms.add(this.schedules.deadLetterQueue, 'MessagesVisibleAlarm', {
      metric: this.schedules.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period,
        statistic: Stats.MAXIMUM,
      }),
      description: 'A schedule could not start its workflow (message in the schedules dead-letter queue).',
    });
    this.alarms.add(this.api, 'ServerErrorsAlarm', {
      metric: this.api.api.metricServerError({ period, statistic: Stats.SUM }),
      description: 'The portal API answered with 5xx.',
    });
    for (const [handler, fn] of this.functions.byHandler) {
      this.alarms.add(fn, 'ErrorsAlarm', {
        metric: fn.function.metricErrors({ period, statistic: Stats.SUM }),
        description: `Handler ${handler} threw (Lambda Errors).`,
      });
    }
  }
}
