/** `import()` of `url` (a `file:` URL), for a config file chosen at run time (see load-module.cjs). */
declare function loadModule(url: string): Promise<unknown>
export = loadModule
