/**
 * A use case bound to its ports, under the name a handler imports: `ports` is called on every call, so ports that
 * read the environment (table, bucket, sender, time zone) see it as the handler runs.
 */
export function bound<P, A extends unknown[], R>(
  ports: () => P,
  useCase: (ports: P, ...args: A) => R,
): (...args: A) => R {
  return (...args) => useCase(ports(), ...args);
}
