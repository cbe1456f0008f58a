// Assertions for programmer errors (TigerBeetle: assert what the code assumes).
// Bad input is never asserted: it is a diagnostic with a position.

/** The default of an exhaustive switch: a new case fails to compile there, and reaching it at run time is a bug. */
export function assertNever(value: never, what: string): never {
  throw new Error(`assertion: unhandled ${what}: ${JSON.stringify(value)}`);
}
