let applied = false

/**
 * Have V8 reclaim garbage early, from the first file read in chunks on. By default the
 * young generation grows to three times 16 MiB and the old one to several times what is
 * live before a full collection, so the garbage of one chunk after another (tokens,
 * decoded text) piles up to many times the file. Both flags are read whenever the heap is
 * resized, so they take effect in a running process (and its worker threads: V8 flags are
 * per process); they cost some time, about a third more on a large HTML file, and are set
 * only in the `imageboss` process itself, never in a host that calls `run()`.
 */
export function reclaimGarbageEarly(): void {
  if (applied) return
  applied = true
  // Loaded here, not at the top: `node:v8` costs a few milliseconds to load, and only a large
  // file needs it; every run of the CLI would pay for it at start-up.
  const { setFlagsFromString } = process.getBuiltinModule('node:v8')
  setFlagsFromString('--semi-space-growth-factor=1')
  setFlagsFromString('--heap-growing-percent=10')
}
