/** The firm's IANA time zone, in which "today", run dates and cut-offs are reckoned (set by the stack and the local cloud). */
export function firmTimeZone(): string {
  return process.env.FIRM_TIME_ZONE ?? 'Europe/Amsterdam';
}
