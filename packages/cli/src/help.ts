export const MAIN_HELP = `ctjs — record JavaScript and TypeScript programs for the CodeTracer time-travel debugger

Usage:
  ctjs record [options] <script> [args...]   run a Node program and record it
  ctjs instrument <file|dir> --out-dir <dir> write instrumented files and their source maps
  ctjs convert <trace-dir> --format json|binary -o <dir>
                                             convert a trace between the two formats
  ctjs summary <trace-dir>                   validate a trace and describe it
  ctjs --help | --version

Run 'ctjs <command> --help' for a command's options.
`;

export const RECORD_HELP = `Usage: ctjs record [options] <script> [args...]

Runs <script> (.js .cjs .mjs .jsx .ts .mts .cts .tsx) with Node, instrumenting it at load time,
and writes a CodeTracer trace. Options come before the script; everything after it is the script's.

Options:
  -o, --out-dir <dir>        write the trace exactly there (must not exist, or be empty)
                             default: ./ct-traces/<script>-<timestamp>/  (env CTJS_OUT_DIR)
      --format json|binary   trace format (default binary; env CTJS_FORMAT)
      --values changed|full  variable values written at line steps: "changed" (default) only
                             those whose shown value changed, for .js .mjs .cjs .ts .tsx
                             frames (CodeTracer shows the same); "full" every variable at
                             every step (larger traces; env CTJS_VALUES)
      --max-step-nodes <n>   records (fields, elements) the values of one line step may
                             take together; past it objects are summarized
                             (env CTJS_MAX_STEP_NODES)
      --include <glob>       also instrument matching files (relative to the cwd; repeatable),
                             e.g. 'node_modules/acorn/**' or '../shared/**'
      --exclude <glob>       never instrument matching files (repeatable; wins over --include)
      --activation-path <f>  record only from the first time execution enters file <f>
  -q, --quiet                print nothing but the program's own output
  -h, --help                 show this help

By default every JS/TS file under the cwd except node_modules is instrumented.
CTJS_DISABLED=1 runs the program without instrumentation and without a trace.
`;
