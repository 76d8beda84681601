/**
 * A view of `target` with some members replaced, everything else delegated to the target itself
 * (methods bound to it, properties read live). Works for class instances, whose methods a spread
 * would drop, and for properties set later (e.g. an engine's version once its workers are ready).
 */
export function override<T extends object>(target: T, members: Partial<T>): T {
  return new Proxy(target, {
    get(t, prop) {
      if (Object.prototype.hasOwnProperty.call(members, prop)) return (members as Record<PropertyKey, unknown>)[prop];
      const value: unknown = Reflect.get(t, prop, t);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(t) : value;
    },
  });
}
