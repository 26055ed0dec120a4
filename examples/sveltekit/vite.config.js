import { sveltekit } from '@sveltejs/kit/vite'
import imageboss from 'imageboss-build/vite'

export default { plugins: [sveltekit(), imageboss()] }
