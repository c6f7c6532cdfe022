import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { tableDesign } from '../infra/definitions/table.ts';
import { documentArchiveDesign } from '../infra/definitions/archive.ts';
import { routes } from '../infra/definitions/routes.ts';
import { workflows } from '../infra/definitions/workflows.ts';
import { schedules } from '../infra/definitions/schedules.ts';
import { defaultFirmSettings } from '../infra/definitions/firm.ts';
import { ensureTable, localClient, startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.ts';
import { startSesLocal, type SesLocal } from './ses-local.ts';
import { startS3Local, type S3Local } from './s3-local.ts';
import { startHttpApi, type HttpApi } from './http-api.ts';
import { startOidcIssuer, type OidcIssuer } from './oidc-issuer.ts';
import { ensurePortFree, freePort } from './ports.ts';
import { startPortalServer } from './portal.ts';
import { startLocalScheduler, type LocalScheduler } from './schedules.ts';
import { type LocalStateMachineSpec, startStepFunctionsEndpoint } from './stepfunctions/index.ts';
import { handlerEnvironment, localAccountId, localRegion, stateMachineArn } from './handler-environment.ts';

export { handlerEnvironment, localAccountId, localRegion, stateMachineArn };

/**
 * The local cloud: DynamoDB Local, local SES, local S3 (s3rver, the archive of issued documents), a Step Functions endpoint running workflows/ with
 * aws-local-stepfunctions, an OpenID Connect issuer standing in for Cognito, the HTTP API twin (its JWT authorizer
 * trusting that issuer), and local schedules, all on 127.0.0.1. Handlers run in this
 * process and reach the services through the AWS SDK's standard endpoint variables, so their code is the code
 * that runs on AWS.
 */

/** The buckets local S3 is started with: the stack's buckets that the handlers use (counterparts.test.ts). */
export const localBuckets: readonly string[] = [documentArchiveDesign.localBucketName];

export interface LocalCloudPorts {
  readonly api: number;
  readonly ses: number;
  readonly dynamodb: number;
  readonly stepfunctions: number;
  /** The OpenID Connect issuer; omitted or 0 lets the OS pick. */
  readonly oidc?: number;
  /** The portal (portal/dist and /config.json); served only when `servePortal` is set. 0 lets the OS pick. */
  readonly portal?: number;
  /** Local S3 (the document archive); omitted or 0 lets the OS pick. */
  readonly s3?: number;
}

export interface LocalCloudOptions {
  /** 0 lets the OS pick a free port (tests). */
  readonly ports: LocalCloudPorts;
  /** Where DynamoDB Local, the executions and local S3's objects persist (`inMemory`: S3 in a throwaway directory). */
  readonly dataDir: string;
  /** Keep DynamoDB in memory (tests). */
  readonly inMemory?: boolean;
  /** Wipe dataDir first. */
  readonly fresh?: boolean;
  /** Fire the schedules (npm start does, tests drive runs themselves). */
  readonly runSchedules?: boolean;
  /** Let tests (and the demo seed) inject faults into handlers (functions/shared/faults.ts). Never on AWS. */
  readonly faultInjection?: boolean;
  /** Where the issuer may send the portal back after sign-in (default http://127.0.0.1:4604/ and /callback). */
  readonly portalRedirectUris?: readonly string[];
  /**
   * Serve the built portal (portal/dist, build it first: local/portal.ts ensurePortalBuilt) with a /config.json
   * pointing at this cloud's API and issuer; the issuer then sends the portal back to its `/` and `/callback`, and
   * the API answers CORS for its origin.
   */
  readonly servePortal?: boolean;
  /** More state machines on the Step Functions endpoint (tests: a workflow with a short execution timeout). */
  readonly extraStateMachines?: readonly LocalStateMachineSpec[];
  readonly log?: (message: string) => void;
}

export interface LocalCloudUrls {
  readonly api: string;
  readonly inbox: string;
  readonly ses: string;
  readonly dynamodb: string;
  readonly stepfunctions: string;
  /** Local S3 (s3rver, path-style): the bucket of issued documents. */
  readonly s3: string;
  /** The issuer URL (`iss`); discovery at `${oidc}/.well-known/openid-configuration`. */
  readonly oidc: string;
  /** The portal, when served (`servePortal`). */
  readonly portal?: string;
}

export interface LocalCloud {
  readonly urls: LocalCloudUrls;
  /** Tokens for demo users: `cloud.oidc.issueToken('billing')`. */
  readonly oidc: OidcIssuer;
  readonly tableName: string;
  readonly dynamodb: DynamoDbLocal;
  stateMachineArn(name: string): string;
  stop(): Promise<void>;
}

export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const log = options.log ?? (() => undefined);
  if (options.fresh) rmSync(options.dataDir, { recursive: true, force: true });
  mkdirSync(options.dataDir, { recursive: true });
  const stops: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (error) {
        log(`stopping: ${String(error)}`);
      }
    }
    stops.length = 0;
  };
  const services: [keyof LocalCloudPorts, string][] = [
    ['api', 'the HTTP API'],
    ['ses', 'local SES'],
    ['dynamodb', 'DynamoDB Local'],
    ['stepfunctions', 'the Step Functions endpoint'],
    ['oidc', 'the OpenID Connect issuer'],
    ['portal', 'the portal'],
    ['s3', 'local S3'],
  ];
  for (const [service, description] of services) {
    if (options.ports[service]) await ensurePortFree(options.ports[service], description);
  }
  try {
    const dynamodb = await startDynamoDbLocal({
      port: options.ports.dynamodb || (await freePort()),
      ...(options.inMemory ? {} : { dataDir: path.join(options.dataDir, 'dynamodb') }),
    });
    stops.push(() => dynamodb.stop());
    log(`DynamoDB Local on ${dynamodb.endpoint}`);
    const client = localClient(dynamodb.endpoint);
    await ensureTable(client, tableDesign);
    client.destroy();

    const ses: SesLocal = await startSesLocal(options.ports.ses);
    stops.push(() => ses.close());

    // Like DynamoDB: persisted under dataDir, or (inMemory, tests) in a temp directory removed at stop.
    const s3Directory = options.inMemory
      ? mkdtempSync(path.join(os.tmpdir(), 'factuur-s3-'))
      : path.join(options.dataDir, 's3');
    if (options.inMemory) stops.push(() => rmSync(s3Directory, { recursive: true, force: true }));
    const s3: S3Local = await startS3Local({
      port: options.ports.s3 ?? 0,
      directory: s3Directory,
      buckets: localBuckets,
    });
    stops.push(() => s3.close());
    log(`local S3 on ${s3.endpoint} (bucket ${documentArchiveDesign.localBucketName})`);

    const stepfunctions = await startStepFunctionsEndpoint({
      host: '127.0.0.1',
      port: options.ports.stepfunctions,
      dataDir: path.join(options.dataDir, 'stepfunctions'),
      region: localRegion,
      accountId: localAccountId,
      workflows,
      ...(options.extraStateMachines ? { extraStateMachines: options.extraStateMachines } : {}),
    });
    stops.push(() => stepfunctions.close());

    const urls = { dynamodb: dynamodb.endpoint, ses: ses.endpoint, stepfunctions: stepfunctions.url, s3: s3.endpoint };
    Object.assign(process.env, handlerEnvironment(urls, tableDesign.localTableName), {
      FACTUUR_FAULT_INJECTION: options.faultInjection ? 'on' : 'off',
    });

    const portalPort = options.servePortal ? options.ports.portal || (await freePort()) : undefined;
    const portalOrigin = portalPort ? `http://127.0.0.1:${portalPort}` : undefined;
    const redirectUris =
      options.portalRedirectUris ?? (portalOrigin ? [`${portalOrigin}/`, `${portalOrigin}/callback`] : undefined);
    const oidc: OidcIssuer = await startOidcIssuer({
      port: options.ports.oidc ?? 0,
      dataDir: options.dataDir,
      ...(redirectUris ? { portalRedirectUris: redirectUris } : {}),
      log,
    });
    stops.push(() => oidc.close());

    const api: HttpApi = await startHttpApi({
      port: options.ports.api,
      routes,
      authorizer: oidc.authorizer,
      corsOrigin: portalOrigin ?? new URL(redirectUris?.[0] ?? 'http://127.0.0.1:4604/').origin,
    });
    stops.push(() => api.close());

    let portalUrl: string | undefined;
    if (portalPort) {
      const portal = await startPortalServer({
        port: portalPort,
        config: { apiUrl: api.url, issuer: oidc.issuer, clientId: oidc.clientId, environment: 'local' },
      });
      stops.push(() => portal.close());
      portalUrl = portal.url;
      log(`portal on ${portal.url}`);
    }

    if (options.runSchedules) {
      const sfn = new SFNClient({
        endpoint: stepfunctions.url,
        region: localRegion,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      const scheduler: LocalScheduler = startLocalScheduler(
        schedules(defaultFirmSettings),
        async (schedule, input) => {
          await sfn.send(
            new StartExecutionCommand({
              stateMachineArn: stateMachineArn(schedule.workflow),
              input: JSON.stringify(input),
            }),
          );
        },
        log,
      );
      stops.push(() => scheduler.stop());
    }

    return {
      urls: {
        api: api.url,
        inbox: ses.inbox,
        ses: ses.endpoint,
        dynamodb: dynamodb.endpoint,
        stepfunctions: stepfunctions.url,
        s3: s3.endpoint,
        oidc: oidc.issuer,
        ...(portalUrl ? { portal: portalUrl } : {}),
      },
      oidc,
      tableName: tableDesign.localTableName,
      dynamodb,
      stateMachineArn,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
