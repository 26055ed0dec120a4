import { constants } from 'node:os'

/** The signals that stop a rewrite cleanly: Ctrl-C, `kill`, a closed terminal. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
export type StopSignal = (typeof STOP_SIGNALS)[number]

const FLAG = 0
const COUNTER = 1

/**
 * A request to stop, shared by every thread of one run. A signal only raises a flag; each
 * file in progress reads it at its next step, removes its own temporary file and reports
 * itself unchanged, so nothing half-written stays in the site. The flag sits in shared
 * memory so that a worker busy with a large file sees it without waiting for a message, and
 * the same memory numbers temporary files for all threads, so their names never collide.
 */
export class Interrupt {
  readonly shared: SharedArrayBuffer
  private readonly cells: Int32Array

  constructor(shared: SharedArrayBuffer = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT)) {
    this.shared = shared
    this.cells = new Int32Array(shared)
  }

  /** Whether a stop was asked for. */
  get requested(): boolean {
    return Atomics.load(this.cells, FLAG) !== 0
  }

  /** The signal that asked to stop, if any. */
  get signal(): StopSignal | undefined {
    const number = Atomics.load(this.cells, FLAG)
    return STOP_SIGNALS.find((name) => constants.signals[name] === number)
  }

  request(signal: StopSignal): void {
    Atomics.store(this.cells, FLAG, constants.signals[signal])
  }

  /** A number no other thread of this run gets: the `<n>` of a temporary file's name. */
  nextNumber(): number {
    return Atomics.add(this.cells, COUNTER, 1)
  }
}

/** The conventional exit code of a process stopped by `signal` (130 for SIGINT, 143 for SIGTERM). */
export function exitCodeOf(signal: StopSignal): number {
  return 128 + constants.signals[signal]
}

/**
 * Turn the stop signals into `interrupt.request()` while a rewrite runs (instead of Node's
 * default, which ends the process at once and strands temporary files). A second signal
 * ends the process at once, for a user who does not want to wait; the next `rewrite`
 * removes whatever that leaves. Returns a function that restores the defaults.
 */
export function trapSignals(interrupt: Interrupt, stderr: NodeJS.WritableStream): () => void {
  const onSignal = (signal: StopSignal) => {
    if (interrupt.requested) process.exit(exitCodeOf(signal))
    interrupt.request(signal)
    stderr.write(`\nimageboss: ${signal} received: stopping, removing temporary files (send it again to stop at once)\n`)
  }
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal)
  return () => {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal)
  }
}
