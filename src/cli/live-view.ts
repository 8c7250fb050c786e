// The live view of a run: the log lines scroll; on a terminal, a spinner line below them shows
// the current step, elapsed time, the last second's ops/s and the leader. Off a terminal (CI), lines only.
import ora, { Ora } from "ora";
import type { LiveUpdate } from "../drill/runner";

export class LiveView {
  private readonly spinner?: Ora;
  private readonly timer?: NodeJS.Timeout;
  private state: { step: string; opsPerSec?: number; recordsPerSec?: number; leader?: number | null } = { step: "starting" };

  constructor(private readonly started: number) {
    if (!process.stdout.isTTY) return;
    this.spinner = ora({ text: this.text(), discardStdin: false }).start();
    this.timer = setInterval(() => {
      if (this.spinner) this.spinner.text = this.text();
    }, 250);
    this.timer.unref();
  }

  private text(): string {
    const s = this.state;
    const parts = [s.step, `${((Date.now() - this.started) / 1000).toFixed(0)} s`];
    if (s.opsPerSec !== undefined) parts.push(`${s.opsPerSec} ops/s`);
    if (s.recordsPerSec !== undefined) parts.push(`Kafka ${s.recordsPerSec} records/s`);
    if (s.leader !== undefined) parts.push(s.leader === null ? "no leader" : `leader zk${s.leader}`);
    return parts.join(" · ");
  }

  update(u: LiveUpdate): void {
    this.state = { ...this.state, ...Object.fromEntries(Object.entries(u).filter(([, v]) => v !== undefined)) };
  }

  line(text: string): void {
    if (!this.spinner) {
      console.log(text);
      return;
    }
    this.spinner.clear();
    console.log(text);
    this.spinner.render();
  }

  stop(): void {
    clearInterval(this.timer);
    this.spinner?.stop();
  }
}
