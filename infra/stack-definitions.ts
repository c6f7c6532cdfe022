import path from 'node:path';
import { documentArchiveDesign, type DocumentArchiveDesign } from './definitions/archive.ts';
import type { FirmSettings } from './definitions/firm.ts';
import { routes, type RouteDefinition } from './definitions/routes.ts';
import { schedules, type ScheduleDefinition } from './definitions/schedules.ts';
import { tableDesign, type TableDesign } from './definitions/table.ts';
import { workflows, type WorkflowDefinition } from './definitions/workflows.ts';
import { handlerPermissions, type HandlerPermission } from './permissions.ts';

export const repositoryRoot = path.resolve(import.meta.dirname, '..');

/**
 * Everything the stack is generated from. Production uses {@link factuurDefinitions} (the shared definitions in
 * infra/definitions plus infra/permissions.ts); tests pass fixtures to exercise workflows and schedules before
 * the real ones exist.
 */
export interface FactuurDefinitions {
  readonly tableDesign: TableDesign;
  readonly documentArchiveDesign: DocumentArchiveDesign;
  readonly routes: readonly RouteDefinition[];
  readonly workflows: readonly WorkflowDefinition[];
  readonly schedules: (firm: FirmSettings) => readonly ScheduleDefinition[];
  readonly handlerPermissions: Readonly<Record<string, readonly HandlerPermission[]>>;
  /** Source file of a handler module id (`api/health` -> functions/handlers/api/health.ts). */
  readonly handlerEntry: (handler: string) => string;
  /** Absolute path of an ASL file named in a workflow definition (relative to the repository root). */
  readonly workflowFile: (file: string) => string;
  /** Built portal (index.html etc.); deployed to the portal bucket only when the folder exists. */
  readonly portalBuildDir: string;
}

export const factuurDefinitions: FactuurDefinitions = {
  tableDesign,
  documentArchiveDesign,
  routes,
  workflows,
  schedules,
  handlerPermissions,
  handlerEntry: (handler) => path.join(repositoryRoot, 'functions', 'handlers', `${handler}.ts`),
  workflowFile: (file) => path.resolve(repositoryRoot, file),
  portalBuildDir: path.join(repositoryRoot, 'portal', 'dist'),
};

/** Every handler module the stack needs a function for: route handlers and workflow task handlers, each once. */
export function handlerModules(definitions: Pick<FactuurDefinitions, 'routes' | 'workflows'>): string[] {
  return [
    ...new Set([
      ...definitions.routes.map((route) => route.handler),
      ...definitions.workflows.flatMap((workflow) => Object.values(workflow.tasks)),
    ]),
  ].sort();
}

/** `api/invoices/send` -> `ApiInvoicesSend`, `invoice-run` -> `InvoiceRun`: construct ids from definition names. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
