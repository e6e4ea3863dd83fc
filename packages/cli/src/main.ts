import { readFileSync } from "node:fs";
import { MAIN_HELP, RECORD_HELP } from "./help.js";
import { EXIT_USAGE, UsageError } from "./usage-error.js";

function version(): string {
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return manifest.version;
}

/**
 * Runs one ctjs command; returns the exit status. Usage errors print one line and give 2.
 * Each command's modules load only when it runs: --help or a usage error answers at once.
 */
export async function main(argv: string[]): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case undefined:
      case "-h":
      case "--help":
      case "help":
        process.stdout.write(MAIN_HELP);
        return command === undefined ? EXIT_USAGE : 0;
      case "-v":
      case "--version":
        process.stdout.write(`${version()}\n`);
        return 0;
      case "record": {
        const { parseRecordArgs } = await import("./record-args.js");
        const args = parseRecordArgs(rest, process.env);
        if (args.help) {
          process.stdout.write(RECORD_HELP);
          return 0;
        }
        const { record } = await import("./record.js");
        return await record(args);
      }
      case "instrument": {
        const { instrumentCommand } = await import("./instrument-command.js");
        return await instrumentCommand(rest);
      }
      case "convert": {
        const { convertCommand } = await import("./convert-command.js");
        return convertCommand(rest);
      }
      case "summary": {
        const { summaryCommand } = await import("./summary-command.js");
        return summaryCommand(rest);
      }
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)} (see ctjs --help)`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`ctjs: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}
