import createMDX from '@next/mdx'
import { withImageBoss } from 'imageboss-build/next'

const withMDX = createMDX({ options: { rehypePlugins: [['imageboss-build/next/rehype']] } })

export default withImageBoss(withMDX({ pageExtensions: ['ts', 'tsx', 'mdx'] }))
