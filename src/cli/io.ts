/** Terminal I/O for the CLI: results to stdout, progress and errors to stderr. */
export interface CliIo {
  out(text: string): void;
  /** Progress and diagnostics; silent with --quiet. */
  progress(text: string): void;
  error(text: string): void;
  /** ANSI colour on stdout. */
  color: boolean;
  cwd: string;
}

export function processIo(options: { quiet: boolean; color?: boolean }): CliIo {
  const env = process.env;
  const color =
    options.color ??
    (env.NO_COLOR !== undefined && env.NO_COLOR !== ""
      ? false
      : env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0"
        ? true
        : process.stdout.isTTY === true);
  return {
    out: (t) => process.stdout.write(t.endsWith("\n") ? t : `${t}\n`),
    progress: (t) => {
      if (!options.quiet) process.stderr.write(`meshplan: ${t}\n`);
    },
    error: (t) => process.stderr.write(`meshplan: ${t}\n`),
    color,
    cwd: process.cwd(),
  };
}
