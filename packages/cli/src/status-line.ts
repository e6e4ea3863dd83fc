/** A live "events / bytes" line on a terminal's stderr, redrawn in place while a recording runs. */
export class StatusLine {
  private timer: NodeJS.Timeout | undefined;
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly read: () => { events: number | undefined; bytes: number },
    private readonly intervalMs = 500,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.draw(), this.intervalMs);
    this.timer.unref();
  }

  private draw(): void {
    const { events, bytes } = this.read();
    const count = events === undefined ? "" : `${events} events, `;
    this.stream.write(`\r\x1b[2Kctjs: recording… ${count}${formatBytes(bytes)} written`);
    this.drawn = true;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.drawn) this.stream.write("\r\x1b[2K");
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}
