import { encode } from './encoding.js'
import type { Interrupt } from './interrupt.js'
import { readBytes, type TextPart, type Source } from './source.js'
import { TempFile, type Committed } from './temp-file.js'

/** A failure to write the new file (as opposed to reading the old one). */
export class WriteFailure extends Error {
  constructor(readonly code: string) {
    super(code)
  }
}

/**
 * The new content of a file, written part by part into a temporary file beside it. No
 * temporary file is made until a part changes: the unchanged bytes before it are then
 * copied from the file as they are (its byte order mark included). A stop request is
 * honoured before anything is created and before the rename.
 */
export class FileWriter {
  private temp: TempFile | undefined

  constructor(
    private readonly source: Source,
    private readonly target: string,
    private readonly interrupt: Interrupt
  ) {}

  /** Write `text`, the new text of `part`. */
  async write(part: TextPart, text: string): Promise<void> {
    if (!this.temp) {
      if (text === part.text) return
      await this.open(part.byteStart)
    }
    await this.attempt(() => (this.temp as TempFile).write(encode(text, this.source.sniffed.encoding)))
  }

  /** Put the new file in place; `interrupted` if a stop request came first (the file is left as it was). */
  async commit(): Promise<Committed | 'interrupted'> {
    const temp = this.temp
    if (!temp) return 'written'
    if (this.interrupt.requested) {
      await this.discard()
      return 'interrupted'
    }
    return this.attempt(() => temp.commit())
  }

  /** Remove the temporary file, if one was made; returns its path if it could not be removed. */
  async discard(): Promise<string | undefined> {
    if (!this.temp) return undefined
    return (await this.temp.discard()) ? undefined : this.temp.path
  }

  private async open(copyUpTo: number): Promise<void> {
    this.temp = await this.attempt(() => TempFile.create(this.target, this.source.stats, this.interrupt.nextNumber()))
    for await (const bytes of readBytes(this.source, 0, copyUpTo)) await this.attempt(() => (this.temp as TempFile).write(bytes))
  }

  private async attempt<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write()
    } catch (error) {
      const code = (error as NodeJS.ErrnoException | undefined)?.code
      throw new WriteFailure(typeof code === 'string' ? code : error instanceof Error ? error.message : 'error')
    }
  }
}
