// Every page is written to `build/` at build time (adapter-static).
export const prerender = true
