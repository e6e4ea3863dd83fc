/**
 * The hooks a recording needs in the Node process: finish the trace when the process exits, note
 * an uncaught exception, and finish before a default-action signal kills the process. They are
 * installed by start() and removed by stop(); none of them changes how the program behaves.
 */
export interface ProcessHookHandlers {
  /** The process is exiting with `code` (already final). */
  onExit(code: number): void;
  /** An exception is about to end the process (monitor only: Node's own handling continues). */
  onUncaught(error: unknown): void;
}

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

export class ProcessHooks {
  private removers: Array<() => void> = [];

  install(handlers: ProcessHookHandlers): void {
    if (this.removers.length > 0) return;
    const onExit = (code: number) => handlers.onExit(code);
    const onUncaught = (error: unknown) => handlers.onUncaught(error);
    process.on("exit", onExit);
    process.on("uncaughtExceptionMonitor", onUncaught);
    this.removers.push(() => process.off("exit", onExit));
    this.removers.push(() => process.off("uncaughtExceptionMonitor", onUncaught));
    for (const signal of SIGNALS) {
      // Only when the program has no handler of its own: then the default action would kill the
      // process without an 'exit' event. Finish the trace, then re-raise so the process dies of
      // the same signal with the same status.
      const onSignal = () => {
        if (process.listenerCount(signal) > 1) return;
        handlers.onExit(128 + signalNumber(signal));
        this.uninstall();
        process.kill(process.pid, signal);
      };
      if (process.listenerCount(signal) > 0) continue;
      process.on(signal, onSignal);
      this.removers.push(() => process.off(signal, onSignal));
    }
  }

  uninstall(): void {
    const removers = this.removers;
    this.removers = [];
    for (const remove of removers) remove();
  }
}

function signalNumber(signal: (typeof SIGNALS)[number]): number {
  return signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 1;
}
