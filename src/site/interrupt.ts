import { constants } from 'node:os'

/**
 * The signals whose default action ends the process and that a process may handle: Ctrl-C,
 * `kill`, a closed terminal, Ctrl-\, a reader gone from a pipe, the user signals, timers and
 * resource limits (`ulimit -t`, `ulimit -f`), asynchronous I/O, a power failure. Each stops a
 * rewrite cleanly instead. SIGKILL and SIGSTOP cannot be caught (the next rewrite removes what
 * a SIGKILL leaves); SIGSEGV, SIGBUS, SIGFPE and SIGILL come from the process's own faults,
 * after which no JavaScript may safely run, and SIGABRT, SIGTRAP and SIGSYS from its own
 * aborts, debuggers and system-call filters.
 */
const CANDIDATES = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGQUIT',
  'SIGPIPE',
  'SIGUSR1',
  'SIGUSR2',
  'SIGALRM',
  'SIGVTALRM',
  'SIGPROF',
  'SIGXCPU',
  'SIGXFSZ',
  'SIGPOLL',
  'SIGIO',
  'SIGPWR',
  'SIGSTKFLT'
] as const
export type StopSignal = (typeof CANDIDATES)[number]

/**
 * The stop signals this platform has, one name per number (`SIGPOLL` and `SIGIO` are one
 * signal on Linux: a listener on each would see it twice, and the second would end the run).
 */
export const STOP_SIGNALS: readonly StopSignal[] = CANDIDATES.filter((name, index) => {
  const number = (constants.signals as Record<string, number | undefined>)[name]
  return number !== undefined && CANDIDATES.findIndex((other) => (constants.signals as Record<string, number | undefined>)[other] === number) === index
})

function numberOf(signal: StopSignal): number {
  return (constants.signals as Record<string, number>)[signal] as number
}

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
    return STOP_SIGNALS.find((name) => numberOf(name) === number)
  }

  request(signal: StopSignal): void {
    Atomics.store(this.cells, FLAG, numberOf(signal))
  }

  /** A number no other thread of this run gets: the `<n>` of a temporary file's name. */
  nextNumber(): number {
    return Atomics.add(this.cells, COUNTER, 1)
  }
}

/** The conventional exit code of a process stopped by `signal` (130 for SIGINT, 143 for SIGTERM, 131 for SIGQUIT). */
export function exitCodeOf(signal: StopSignal): number {
  return 128 + numberOf(signal)
}

/**
 * Turn the stop signals into `interrupt.request()` while a rewrite runs (instead of the
 * default, which ends the process at once and strands temporary files; for SIGPIPE, which
 * Node ignores, a write to a closed pipe that would end the run with an error). A second signal
 * ends the process at once, for a user who does not want to wait; the next `rewrite`
 * removes whatever that leaves. Returns a function that restores the defaults.
 */
export function trapSignals(interrupt: Interrupt, stderr: NodeJS.WritableStream): () => void {
  const onSignal = (signal: StopSignal) => {
    if (interrupt.requested) process.exit(exitCodeOf(signal))
    interrupt.request(signal)
    stderr.write(`\nimageboss: ${signal} received: stopping, removing temporary files (send it again to stop at once)\n`)
  }
  const trapped: StopSignal[] = []
  for (const signal of STOP_SIGNALS) {
    try {
      process.on(signal, onSignal)
      trapped.push(signal)
    } catch {
      // A signal this platform lists but lets no process handle: its default stays.
    }
  }
  return () => {
    for (const signal of trapped) process.off(signal, onSignal)
  }
}
