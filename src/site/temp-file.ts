import { closeSync, existsSync, fchmodSync, fchownSync, openSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs'
import path from 'node:path'

/**
 * `.NAME.imageboss-tmp-<pid>-<n>`: a temporary file beside `NAME`. The leading dot keeps it
 * out of most deploy tools' way; the fixed middle lets a later run and `verify` recognise
 * one left by a process that was killed (SIGKILL, power loss), and the pid tells whether
 * that process is gone.
 */
const TEMP_RE = /^\.(.+)\.imageboss-tmp-(\d+)-(\d+)$/

export function tempPath(file: string, number: number): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.imageboss-tmp-${process.pid}-${number}`)
}

/** The file a temporary file was for, and the process that made it; `undefined` for any other name. */
export function parseTempName(name: string): { original: string; pid: number } | undefined {
  const match = TEMP_RE.exec(name)
  return match ? { original: match[1] as string, pid: Number(match[2]) } : undefined
}

/**
 * Whether the process that made a temporary file still runs (on this machine): the file of a
 * running rewrite is not a leftover. One with this process's own id is: it was made by an
 * earlier process that had the same id, since a run lists the site before it writes.
 */
export function processIsRunning(pid: number): boolean {
  if (pid === process.pid) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** What became of a rewritten file. */
export type Committed = 'written' | 'removed' | 'changed'

/**
 * The new content of a file, written beside it and renamed over it once complete, so that
 * readers see the old file or the new one, never a part. It keeps the original's mode and,
 * where permitted, its owner; the run syncs to disk once at its end (`syncToDisk`).
 * Synchronous calls: each asynchronous one costs more than the small write it waits for.
 * The methods stay `async` for the callers; between files the run yields to the event loop
 * (signals are handled there).
 */
export class TempFile {
  private fd: number | undefined

  private constructor(
    readonly path: string,
    private readonly target: string,
    private readonly original: Stats,
    fd: number
  ) {
    this.fd = fd
  }

  /** Create the temporary file for `target` (which was `original` when read); never replaces an existing file. */
  static async create(target: string, original: Stats, number: number): Promise<TempFile> {
    const file = tempPath(target, number)
    const fd = openSync(file, 'wx', original.mode & 0o777)
    const temp = new TempFile(file, target, original, fd)
    try {
      // The mode given to `open` passes through the umask.
      fchmodSync(fd, original.mode & 0o7777)
      if (original.uid !== process.getuid?.() || original.gid !== process.getgid?.()) {
        try {
          fchownSync(fd, original.uid, original.gid)
        } catch (error) {
          // Only root may give a file away; others keep the file as theirs, as any editor would.
          const code = (error as NodeJS.ErrnoException).code
          if (code !== 'EPERM' && code !== 'EINVAL') throw error
        }
      }
    } catch (error) {
      await temp.discard()
      throw error
    }
    return temp
  }

  async write(bytes: Uint8Array): Promise<void> {
    let written = 0
    while (written < bytes.length) written += writeSync(this.fd as number, bytes, written)
  }

  /**
   * Replace the target with the temporary file, unless the target was removed (it is not
   * recreated) or replaced or changed since it was read (the newer file wins). The
   * temporary file is gone afterwards, whatever happens.
   */
  async commit(): Promise<Committed> {
    try {
      // A write the system could not complete may only show when the file is closed.
      this.close(true)
      let now: Stats | undefined
      try {
        now = statSync(this.target)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      }
      if (!now) return 'removed'
      if (!sameFile(now, this.original)) return 'changed'
      renameSync(this.path, this.target)
      return 'written'
    } finally {
      // Renamed, there is nothing left to remove (and a failing `unlink` costs an error object).
      if (existsSync(this.path)) await this.discard()
    }
  }

  /** Close and remove the temporary file (nothing if already done); returns whether it is gone. */
  async discard(): Promise<boolean> {
    this.close(false)
    try {
      unlinkSync(this.path)
      return true
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ENOENT'
    }
  }

  /** Close the file once; an error throws if `strict`. */
  private close(strict: boolean): void {
    if (this.fd === undefined) return
    const fd = this.fd
    this.fd = undefined
    try {
      closeSync(fd)
    } catch (error) {
      if (strict) throw error
    }
  }
}

function sameFile(a: Stats, b: Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs
}

/**
 * Write what the run renamed into place through to the disk: one `sync` for the whole run,
 * where an `fsync` per file made each write wait for the disk in turn. Without it a file is
 * still never half-written for another process (the rename replaces it whole), but a power
 * loss before the system flushes could lose a rewrite. Best effort: where there is no `sync`
 * command (Windows), the system flushes in its own time.
 */
export async function syncToDisk(): Promise<void> {
  if (process.platform === 'win32') return
  // Loaded here: `node:child_process` takes milliseconds to load, which `verify` and every
  // other start of the CLI would pay for nothing.
  const { execFile } = await import('node:child_process')
  await new Promise<void>((resolve) => execFile('sync', () => resolve()))
}
