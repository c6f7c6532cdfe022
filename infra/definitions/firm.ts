/**
 * Settings of the firm one deployment of factuur serves. On AWS they come from CDK context
 * (`cdk deploy -c timeZone=Europe/Amsterdam ...`); the local cloud uses the defaults.
 */
export interface FirmSettings {
  /** IANA time zone in which run dates, cut-offs and the daily schedule are reckoned. */
  readonly timeZone: string;
  /** Local hour at which the daily invoice run fires (outside DST switch hours). */
  readonly dailyRunHour: number;
}

export const defaultFirmSettings: FirmSettings = {
  timeZone: 'Europe/Amsterdam',
  dailyRunHour: 5,
};
