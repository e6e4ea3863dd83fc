import path from "node:path";

/**
 * Decides when recording begins. Without an activation path it begins at start(); with one, the
 * first time execution enters a function (or module top level) of that file. It never ends
 * because the entry module's top level finished: timers, promises and I/O callbacks are still
 * the program's own work, so recording goes on until stop().
 */
export class Activation {
  private active: boolean;
  private readonly target: string | undefined;

  constructor(activationPath?: string, cwd = process.cwd()) {
    this.target = activationPath === undefined ? undefined : normalize(path.resolve(cwd, activationPath));
    this.active = this.target === undefined;
  }

  get isActive(): boolean {
    return this.active;
  }

  get activationPath(): string | undefined {
    return this.target;
  }

  /** Called when execution enters a function of `file`; returns true if recording is (now) on. */
  enter(file: string): boolean {
    if (this.active) return true;
    if (normalize(file) === this.target) this.active = true;
    return this.active;
  }
}

function normalize(file: string): string {
  return path.normalize(file);
}
