const OPTIONS = `Options for every command:
  --config <file>     Config file (default: the nearest imageboss.config.{js,mjs,json},
                      from the current directory up to the project root)
  --source <name>     Default source (default: the config file, else IMAGEBOSS_SOURCE)
  --base-url <url>    Where URLs point (default: the config file, else IMAGEBOSS_BASE_URL,
                      else https://img.imageboss.me)
  -h, --help          Show help

Environment:
  IMAGEBOSS_SOURCE           default source
  IMAGEBOSS_SECRET           secret of the default source (never pass a secret as an argument)
  IMAGEBOSS_SECRET_<NAME>    secret of the named source <name> (upper case, - becomes _)
  IMAGEBOSS_BASE_URL         base URL`

export const HELP: Readonly<Record<string, string>> = {
  main: `Usage: imageboss <command> [options]

Sign imageboss: references into ImageBoss URLs, in a built site or one at a time.

Commands:
  sign <reference...>   Print the signed URL of each reference (stdin when none)
  rewrite <dir>         Rewrite references in place in a built site
  verify <dir>          Check a built site: leftover references, bad or missing tokens

Run \`imageboss <command> --help\` for a command's options and examples.

Exit codes: 0 success, 1 problems or findings, 2 usage or configuration error.

${OPTIONS}

Examples:
  IMAGEBOSS_SOURCE=my-source IMAGEBOSS_SECRET=… imageboss sign 'imageboss:/photos/cat.jpg?w=800'
  hugo && imageboss rewrite public && imageboss verify public`,

  sign: `Usage: imageboss sign [options] [reference...]

Print the URL of each reference, one per line. With no reference arguments, read
references from stdin, one per line (empty lines are skipped).

Options:
  --json              Print a JSON array of resolve() objects (url, source, operation,
                      width, height, options, path, signedPath, signed); invalid
                      references appear as { reference, error: { ruleId, reason } }

${OPTIONS}

Examples:
  imageboss sign 'imageboss:/photos/cat.jpg?w=800'
  imageboss sign --json 'imageboss://blog-assets/hero.jpg?w=1200&h=600'
  cat references.txt | imageboss sign`,

  rewrite: `Usage: imageboss rewrite [options] <dir>

Rewrite imageboss: references in place in a built site:
  .html .htm          the same attributes as the Vite plugin (img src/srcset with
                      responsive keys, source, link, meta, video poster, a href, SVG
                      image, style attributes and <style>), inline <script> string
                      literals and JSON-LD
  .css                url() and image-set()
  .js .mjs            string literals whose whole value is a reference
  .xml .rss .atom     attribute values (<enclosure url>, <media:content url>) and text
                      (<image:loc>) that are whole references; HTML in <description>
  .json .webmanifest  string values that are whole references

Each file is written atomically (a temporary file .NAME.imageboss-tmp-<pid>-<n> beside
it, then a rename). A file with an invalid reference, or one that cannot be written, is left
untouched and reported; the others are still rewritten, and the exit code is 1. Files are
read as UTF-8, or UTF-16 with a byte order mark (and written back the same way); symbolic
links are not followed, and are reported. The summary counts skipped files by reason.

SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2, SIGALRM and every other signal
that would end the process stop the run cleanly: files in progress are left as they were,
every temporary file is removed, and the exit code is 128 + the signal number (130, 143,
129, 131, …); a second signal stops at once. Temporary files left by a killed run (SIGKILL)
are removed by the next rewrite. FIFOs, sockets and devices are never opened, and are
reported. File names are printed with control characters escaped (\n, \x1b, …).

Options:
  --dry-run               List the files that would change, change nothing
  --threads <n>           Worker threads (default: one per core above 200 files, else 1)
  --max-file-size <size>  Leave larger files unread, reporting those that hold a reference
                          (file-too-large), in bytes or with a unit: 500kb, 10mb, 1gb
                          (default: 50mb; units of 1024)

${OPTIONS}

Examples:
  imageboss rewrite public
  imageboss rewrite --dry-run _site
  imageboss rewrite --threads 1 --config ./imageboss.config.json dist`,

  verify: `Usage: imageboss verify [options] <dir>
       imageboss verify --next [--dist-dir <dir>] [project]

Check a built site and report, with file:line:column:
  leftover-reference  an imageboss: reference that was not rewritten
  invalid-token       a URL on the base URL whose bossToken does not verify with the
                      configured secrets (tampered, made with an old secret, or for
                      another source)
  unsigned-url        a URL without bossToken for a source that demands signing
  temporary-file      a temporary file left by a rewrite that was killed
  file-too-large, unsupported-encoding, read-error
                      a file that could not be checked
Code samples (<pre>, <code>, <textarea>) and HTML comments are not checked.
The exit code is 1 on any finding.

Options:
  --json                  Print { files, urls, findings: [{ file, line, column, rule,
                          message, value }], skipped: [{ file, reason }] } for CI
  --threads <n>           Worker threads (default: one per core above 200 files, else 1)
  --max-file-size <size>  Leave larger files unread, reporting those that may hold a
                          reference or URL (file-too-large): bytes, or 500kb, 10mb, 1gb
                          (default: 50mb; units of 1024)
  --next                  Check a Next.js build after \`next build\` (project: default the
                          current directory): .next/ static files, pages and payloads as
                          served, its server code and caches for secrets, and out/ of
                          output: 'export'; .env* files read as Next.js reads them
  --dist-dir <dir>        With --next: next.config's distDir, when it is not .next

${OPTIONS}

Examples:
  imageboss verify public
  imageboss verify --json _site > imageboss-report.json
  next build && imageboss verify --next`
}
