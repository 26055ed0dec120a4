import { availableParallelism } from 'node:os'
import type { MessagePort, Worker } from 'node:worker_threads'
import type { ImageBossError } from '../core/errors.js'
import { Interrupt } from './interrupt.js'
import { processFile, type FileOptions, type FileReport } from './process-file.js'
import { loadSettings, type Settings, type SettingsInput } from './settings.js'

/** Above this many files, work is spread over worker threads (unless `--threads` says otherwise). */
const THREAD_THRESHOLD = 200
/** Files handed to a worker at a time: small enough to balance, large enough to amortise messages. */
const BATCH = 25
/** Files read at once on one thread. */
const CONCURRENCY = 8

/** How many threads to use for `count` files: `requested`, else all cores for a large site. */
export function threadCount(count: number, requested: number | undefined): number {
  const threads = requested ?? (count > THREAD_THRESHOLD ? availableParallelism() : 1)
  return Math.max(1, Math.min(threads, Math.ceil(count / BATCH)))
}

export interface RunOptions extends FileOptions {
  input: SettingsInput
  threads: number
  /** A stop request: no file is started after it (those not started have no report). */
  interrupt: Interrupt
  onWarning: (warning: ImageBossError) => void
  onProgress: (done: number) => void
}

/**
 * Process every file, on this thread or spread over workers; reports come back in file
 * order, with a hole for each file not started when a stop was requested.
 */
export async function runFiles(files: readonly string[], settings: Settings, options: RunOptions): Promise<Array<FileReport | undefined>> {
  const reports = new Array<FileReport | undefined>(files.length).fill(undefined)
  const fileOptions: FileOptions = {
    command: options.command,
    dryRun: options.dryRun,
    maxFileSize: options.maxFileSize,
    chunkSize: options.chunkSize,
    reclaimEarly: options.reclaimEarly
  }
  let done = 0
  if (options.threads <= 1) {
    let next = 0
    const lane = async () => {
      while (next < files.length && !options.interrupt.requested) {
        const index = next++
        reports[index] = await processFile(files[index] as string, settings, fileOptions, options.interrupt)
        options.onProgress(++done)
        // Files are read and written with synchronous calls: a turn of the event loop between
        // them lets a signal (SIGINT, SIGTERM) be handled before the next one starts.
        await new Promise((resolve) => setImmediate(resolve))
      }
    }
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, files.length) }, lane))
    return reports
  }

  // Loaded here: a run on one thread (most sites, and `verify` of a few pages) does without
  // `node:worker_threads`, which takes milliseconds to load.
  const { Worker } = await import('node:worker_threads')
  let next = 0
  const workers: Worker[] = []
  try {
    await Promise.all(
      Array.from({ length: options.threads }, () => {
        const worker = new Worker(new URL('./worker.js', import.meta.url), {
          workerData: { options: fileOptions, input: options.input, shared: options.interrupt.shared } satisfies WorkerInput
        })
        workers.push(worker)
        return new Promise<void>((resolve, reject) => {
          let batch: number[] = []
          const send = () => {
            batch = []
            while (batch.length < BATCH && next < files.length && !options.interrupt.requested) batch.push(next++)
            if (batch.length === 0) {
              void worker.terminate()
              resolve()
            } else {
              worker.postMessage(batch.map((index) => files[index]))
            }
          }
          worker.on('message', (message: WorkerMessage) => {
            if (message.type === 'ready') return send()
            if (message.type === 'warning') return options.onWarning(message.warning as ImageBossError)
            if (message.type === 'error') return reject(Object.assign(new Error(message.message), message.error))
            for (const [i, report] of message.reports.entries()) reports[batch[i] as number] = report
            done += message.reports.length
            options.onProgress(done)
            send()
          })
          worker.on('error', reject)
          worker.on('exit', (code) => {
            if (batch.length > 0 && code !== 0) reject(new Error(`A worker thread stopped (exit code ${code})`))
          })
        })
      })
    )
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()))
  }
  return reports
}

/** Messages from `worker.ts`. */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'reports'; reports: FileReport[] }
  | { type: 'warning'; warning: { ruleId: string; reason: string } }
  | { type: 'error'; message: string; error: { ruleId?: string; reason?: string } }

/** What a worker is started with. */
export interface WorkerInput {
  options: FileOptions
  input: SettingsInput
  /** The run's `Interrupt`, shared. */
  shared: SharedArrayBuffer
}

/** The body of a worker thread: load the same settings, then process the batches it is sent. */
export async function workerMain(port: MessagePort, data: WorkerInput): Promise<void> {
  let settings: Settings
  try {
    settings = await loadSettings(data.input, (warning) => port.postMessage({ type: 'warning', warning: { ruleId: warning.ruleId, reason: warning.reason } }))
  } catch (error) {
    const { ruleId, reason } = error as { ruleId?: string; reason?: string }
    port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error), error: { ruleId, reason } })
    return
  }
  const interrupt = new Interrupt(data.shared)
  port.on('message', (files: string[]) => {
    void Promise.all(files.map((file) => processFile(file, settings, data.options, interrupt))).then(
      (reports) => port.postMessage({ type: 'reports', reports }),
      (error: unknown) => port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error), error: {} })
    )
  })
  port.postMessage({ type: 'ready' })
}
