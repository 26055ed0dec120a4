// The sizes a run over site files works with: a module of its own, so that the CLI's start-up
// (`--help`, argument checks) reads them without loading the file machinery.

/** The largest file read by default (`--max-file-size`): larger than any page a site generator writes, small enough to bound a run. */
export const DEFAULT_MAX_FILE_SIZE = 50 * 1024 * 1024

/**
 * Files up to this size are read at once. A larger file streams through its tokenizer and takes
 * memory for its largest token, not for itself, but a script, which is read whole and parsed.
 */
export const CHUNK_SIZE = 256 * 1024
