// Unpacks the packaged Chromium once, before the browser test files start in parallel: each
// would otherwise find it half-written by the other (it unpacks into a fixed temp path).
import { chooseBrowser, resolveBrowser } from './find-browser.js'

export default async function setup(): Promise<void> {
  const choice = chooseBrowser()
  if (choice.kind === 'packaged') await resolveBrowser(choice)
}
