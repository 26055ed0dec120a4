import { parentPort, workerData } from 'node:worker_threads'
import { workerMain, type WorkerInput } from './run-files.js'

// A worker thread of `imageboss rewrite` and `imageboss verify` (see `run-files.ts`).
if (parentPort) void workerMain(parentPort, workerData as WorkerInput)
