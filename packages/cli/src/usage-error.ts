/** A mistake in how ctjs was called: printed as one line, exit status 2, never a stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export const EXIT_USAGE = 2;
