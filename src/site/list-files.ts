import type { Dirent } from 'node:fs'
import { readdir, readlink, stat, unlink } from 'node:fs/promises'
import path from 'node:path'
import { kindOfFile } from '../core/scan/kinds.js'
import { specialType, type SpecialType } from './source.js'
import { parseTempName, processIsRunning } from './temp-file.js'

/** A symbolic link that the CLI does not follow, with what it points to. */
export interface Link {
  file: string
  target: string
  /** Whether it points to a directory (whose files are then neither rewritten nor checked). */
  directory: boolean
}

/** A temporary file of a rewrite: left by one that was killed, or of one that runs now. */
export interface Temporary {
  file: string
  pid: number
  /** Whether the process that made it runs: its file is then not a leftover yet. */
  running: boolean
}

/** A FIFO, socket or device in the site: never opened, whatever its name. */
export interface Special {
  file: string
  type: SpecialType
}

export interface Listing {
  /** The files the CLI reads, sorted. */
  files: string[]
  /** Symbolic links it skips: those to a file it would read (by name) or to a directory. */
  links: Link[]
  /** Special files it skips, sorted. */
  specials: Special[]
  temporaries: Temporary[]
}

/**
 * What a built site holds for the CLI. Symbolic links are not followed (a link may lead out
 * of the site, or in a circle), but reported: a link named like a page, or to a directory,
 * stands for files that would otherwise be skipped silently. FIFOs, sockets and devices are
 * never opened (opening a FIFO waits for a writer; a device may never end), and reported.
 */
export async function listFiles(directory: string): Promise<Listing> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true })
  const listing: Listing = { files: [], links: [], specials: [], temporaries: [] }
  for (const entry of entries) {
    const file = path.join(entry.parentPath, entry.name)
    if (entry.isSymbolicLink()) {
      const link = await describeLink(file, entry)
      if (link) listing.links.push(link)
      continue
    }
    const special = specialType(entry)
    if (special) listing.specials.push({ file, type: special })
    if (!entry.isFile()) continue
    const temporary = parseTempName(entry.name)
    if (temporary) listing.temporaries.push({ file, pid: temporary.pid, running: processIsRunning(temporary.pid) })
    else if (kindOfFile(entry.name) !== undefined) listing.files.push(file)
  }
  listing.files.sort()
  listing.links.sort((a, b) => (a.file < b.file ? -1 : 1))
  listing.specials.sort((a, b) => (a.file < b.file ? -1 : 1))
  listing.temporaries.sort((a, b) => (a.file < b.file ? -1 : 1))
  return listing
}

async function describeLink(file: string, entry: Dirent): Promise<Link | undefined> {
  const target = await readlink(file).catch(() => '?')
  const directory = (await stat(file).catch(() => undefined))?.isDirectory() === true
  return directory || kindOfFile(entry.name) !== undefined ? { file, target, directory } : undefined
}

/** Remove a temporary file left by a killed rewrite; returns the error code if that failed. */
export async function removeTemporary(temporary: Temporary): Promise<string | undefined> {
  try {
    await unlink(temporary.file)
    return undefined
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return code === 'ENOENT' ? undefined : (code ?? 'error')
  }
}
