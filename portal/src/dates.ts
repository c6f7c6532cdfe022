/** Calendar dates as the portal proposes them: the firm's, as YYYY-MM-DD. */
let firmZone: string | undefined;
/** The firm's IANA time zone (GET /settings), set once after sign-in: "today" is the firm's calendar date. */
export function setFirmTimeZone(zone: string | undefined): void {
  firmZone = zone;
}

/** Today in the firm's time zone (the browser's until the settings are read), as YYYY-MM-DD. */
export function today(): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...(firmZone ? { timeZone: firmZone } : {}),
  }).formatToParts(new Date());
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

export function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
