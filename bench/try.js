const [name] = process.argv.slice(2).filter((a) => !a.startsWith('--'))
const mod = await import(`./${name}.js`)
const fn = Object.values(mod).find((f) => typeof f === 'function' && f.name.startsWith('bench'))
console.table(await fn({ quick: process.argv.includes('--quick') }))
