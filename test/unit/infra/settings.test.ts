import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { defaultFirmSettings } from '../../../infra/definitions/firm.ts';
import { defaultDeploymentSettings, settingsFromContext } from '../../../infra/settings.ts';

function settings(context: Record<string, unknown>) {
  return settingsFromContext(new App({ context }).node);
}

describe('deployment settings from CDK context', () => {
  it('default to the firm defaults and a placeholder sender', () => {
    expect(settings({})).toEqual(defaultDeploymentSettings);
    expect(settings({}).firm).toEqual(defaultFirmSettings);
  });

  it('read every key (strings, as -c gives them)', () => {
    expect(
      settings({
        timeZone: 'Europe/Brussels',
        dailyRunHour: '7',
        senderEmail: 'facturen@firm.example',
        sesConfigurationSet: 'firm',
        portalOrigin: 'https://portal.firm.example',
        alarmEmail: 'ops@firm.example',
      }),
    ).toEqual({
      firm: { ...defaultFirmSettings, timeZone: 'Europe/Brussels', dailyRunHour: 7 },
      senderEmail: 'facturen@firm.example',
      sesConfigurationSetName: 'firm',
      portalOrigin: 'https://portal.firm.example',
      alarmEmail: 'ops@firm.example',
    });
  });

  it('turn portalDomain into an https origin', () => {
    expect(settings({ portalDomain: 'portal.firm.example' }).portalOrigin).toBe('https://portal.firm.example');
  });

  it('reject bad values', () => {
    expect(() => settings({ timeZone: 'Mars/Olympus' })).toThrow(/IANA/);
    expect(() => settings({ dailyRunHour: '24' })).toThrow(/hour/);
    expect(() => settings({ portalOrigin: 'http://portal.firm.example' })).toThrow(/https origin/);
    expect(() => settings({ portalOrigin: 'https://portal.firm.example/app' })).toThrow(/https origin/);
  });
});
