/**
 * A progress bar on stderr: redrawn in place on a terminal, a line per quarter otherwise (CI logs stay short).
 * After the bar, steps name the phases that have no fraction (writing a 16 MB event log, rendering reports).
 */
export class ProgressBar {
  private lastQuarter = -1;
  private lastDrawn = -1;

  constructor(
    private readonly out: { write(s: string): unknown; isTTY?: boolean },
    private readonly label: string,
  ) {}

  update(fraction: number, detail: string): void {
    const pct = Math.floor(fraction * 100);
    if (this.out.isTTY) {
      if (pct === this.lastDrawn) return;
      this.lastDrawn = pct;
      const width = 30;
      const filled = Math.round(fraction * width);
      this.out.write(`\r${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${detail}\x1b[K`);
      return;
    }
    const quarter = Math.floor(fraction * 4);
    if (quarter === this.lastQuarter) return;
    this.lastQuarter = quarter;
    this.out.write(`${this.label}: ${pct}% ${detail}\n`);
  }

  done(summary: string): void {
    this.out.write(this.out.isTTY ? `\r${this.label}: ${summary}\x1b[K\n` : `${this.label}: ${summary}\n`);
  }

  /** A phase after the bar, on a line of its own also on a terminal: an error that follows starts on a clean line. */
  step(text: string): void {
    this.out.write(`${this.label}: ${text}\n`);
  }
}
