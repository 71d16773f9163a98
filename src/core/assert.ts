/** Compile-time exhaustiveness for discriminated unions: a new member fails to compile until handled. */
export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
