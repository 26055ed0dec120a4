import createMDX from '@next/mdx'
import { withImageBoss } from 'imageboss-build/next'

// MDX pages: the rehype plugin, named as a string (Turbopack passes plugins by name).
const withMDX = createMDX({ options: { rehypePlugins: [['imageboss-build/next/rehype']] } })

/** @type {import('next').NextConfig} */
const nextConfig = { pageExtensions: ['ts', 'tsx', 'md', 'mdx'] }

export default withImageBoss(withMDX(nextConfig))
