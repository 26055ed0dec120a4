import { execFile } from 'node:child_process'
import type { Stats } from 'node:fs'
import { open, rename, stat, unlink, type FileHandle } from 'node:fs/promises'
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
 * where permitted, its owner, and is flushed to disk before the rename.
 */
export class TempFile {
  private constructor(
    readonly path: string,
    private readonly target: string,
    private readonly original: Stats,
    private readonly handle: FileHandle
  ) {}

  /** Create the temporary file for `target` (which was `original` when read); never replaces an existing file. */
  static async create(target: string, original: Stats, number: number): Promise<TempFile> {
    const file = tempPath(target, number)
    const handle = await open(file, 'wx', original.mode & 0o777)
    const temp = new TempFile(file, target, original, handle)
    try {
      // The mode given to `open` passes through the umask.
      await handle.chmod(original.mode & 0o7777)
      if (original.uid !== process.getuid?.() || original.gid !== process.getgid?.()) {
        await handle.chown(original.uid, original.gid).catch((error: NodeJS.ErrnoException) => {
          // Only root may give a file away; others keep the file as theirs, as any editor would.
          if (error.code !== 'EPERM' && error.code !== 'EINVAL') throw error
        })
      }
    } catch (error) {
      await temp.discard()
      throw error
    }
    return temp
  }

  async write(bytes: Uint8Array): Promise<void> {
    let written = 0
    while (written < bytes.length) written += (await this.handle.write(bytes, written)).bytesWritten
  }

  /**
   * Replace the target with the temporary file, unless the target was removed (it is not
   * recreated) or replaced or changed since it was read (the newer file wins). The
   * temporary file is gone afterwards, whatever happens.
   */
  async commit(): Promise<Committed> {
    try {
      // No `fsync` here: one sync for the whole run (`syncToDisk`), once every file is renamed.
      await this.handle.close()
      const now = await stat(this.target).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined
        throw error
      })
      if (!now) return 'removed'
      if (!sameFile(now, this.original)) return 'changed'
      await rename(this.path, this.target)
      return 'written'
    } finally {
      await this.discard()
    }
  }

  /** Close and remove the temporary file (nothing if already done); returns whether it is gone. */
  async discard(): Promise<boolean> {
    await this.handle.close().catch(() => undefined)
    return unlink(this.path).then(
      () => true,
      (error: NodeJS.ErrnoException) => error.code === 'ENOENT'
    )
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
  await new Promise<void>((resolve) => execFile('sync', () => resolve()))
}
