import type { Node } from 'constructs';
import { defaultFirmSettings, type FirmSettings } from './definitions/firm.ts';

/**
 * Everything one deployment of factuur is configured with. On AWS it comes from CDK context
 * (`cdk deploy -c timeZone=Europe/Amsterdam -c senderEmail=facturen@firm.nl ...`, or `context` in cdk.json);
 * anything not given falls back to the defaults below.
 */
export interface DeploymentSettings {
  readonly firm: FirmSettings;
  /** Address invoices are sent from; becomes an SES email identity (verify it before sending). */
  readonly senderEmail: string;
  /** Name of the SES configuration set every send uses. */
  readonly sesConfigurationSetName: string;
  /**
   * Origin (`https://portal.example.nl`) the portal is served from: the only origin CORS allows and the
   * Cognito callback. Undefined: the CloudFront distribution's own `https://dxxxx.cloudfront.net`.
   */
  readonly portalOrigin: string | undefined;
  /** Email address subscribed to the alarm topic; undefined: no subscription (subscribe by hand). */
  readonly alarmEmail: string | undefined;
}

/** Placeholder sender used when the context gives none; the stack warns about it at synth. */
export const placeholderSenderEmail = 'invoices@example.com';

export const defaultDeploymentSettings: DeploymentSettings = {
  firm: defaultFirmSettings,
  senderEmail: placeholderSenderEmail,
  sesConfigurationSetName: 'factuur',
  portalOrigin: undefined,
  alarmEmail: undefined,
};

/** Context keys read by {@link settingsFromContext}. */
export const contextKeys = {
  timeZone: 'timeZone',
  dailyRunHour: 'dailyRunHour',
  senderEmail: 'senderEmail',
  sesConfigurationSetName: 'sesConfigurationSet',
  portalOrigin: 'portalOrigin',
  /** Alias of portalOrigin: a bare domain, served over https. */
  portalDomain: 'portalDomain',
  alarmEmail: 'alarmEmail',
} as const;

function text(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`Context '${key}' must be a string, got ${JSON.stringify(value)}`);
  return value.trim();
}

function hour(node: Node, key: string): number | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  const parsed = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 23) {
    throw new Error(`Context '${key}' must be an hour 0-23, got ${JSON.stringify(value)}`);
  }
  return parsed;
}

function validTimeZone(zone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new Error(`Context '${contextKeys.timeZone}' is not an IANA time zone: ${zone}`);
  }
  return zone;
}

function origin(node: Node): string | undefined {
  const explicit = text(node, contextKeys.portalOrigin);
  const domain = text(node, contextKeys.portalDomain);
  const value = explicit ?? (domain === undefined ? undefined : `https://${domain}`);
  if (value === undefined) return undefined;
  const url = new URL(value);
  if (url.protocol !== 'https:' || url.origin !== value.replace(/\/$/, '')) {
    throw new Error(`Portal origin must be an https origin without path, got ${value}`);
  }
  return url.origin;
}

/** Reads the deployment settings from CDK context (on the app node), with defaults. */
export function settingsFromContext(node: Node): DeploymentSettings {
  const defaults = defaultDeploymentSettings;
  return {
    firm: {
      ...defaults.firm,
      timeZone: validTimeZone(text(node, contextKeys.timeZone) ?? defaults.firm.timeZone),
      dailyRunHour: hour(node, contextKeys.dailyRunHour) ?? defaults.firm.dailyRunHour,
    },
    senderEmail: text(node, contextKeys.senderEmail) ?? defaults.senderEmail,
    sesConfigurationSetName: text(node, contextKeys.sesConfigurationSetName) ?? defaults.sesConfigurationSetName,
    portalOrigin: origin(node) ?? defaults.portalOrigin,
    alarmEmail: text(node, contextKeys.alarmEmail) ?? defaults.alarmEmail,
  };
}
