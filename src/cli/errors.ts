/** Failures the CLI maps to exit code 2 (usage or input error), with a message a user can act on. */
export class UsageError extends Error {
  override name = "UsageError";
  constructor(message: string, readonly command?: string) {
    super(message);
  }
}

export class InputError extends Error {
  override name = "InputError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export const exitCodes = { clean: 0, findings: 1, usage: 2 } as const;
