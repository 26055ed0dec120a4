'use strict'
// CommonJS on purpose: webpack's persistent cache reads the ES modules a build depends on (a
// loader, a config's imports) to follow their imports, and warns, in every build, of an
// `import()` of anything but a literal string. It reads no CommonJS file, so the one `import()`
// of a path known only at run time lives here.

/** `import()` of `url` (a `file:` URL), for a config file chosen at run time. */
module.exports = function loadModule(url) {
  return import(url)
}
