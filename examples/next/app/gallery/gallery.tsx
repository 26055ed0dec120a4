'use client'

import { useState } from 'react'

// A client component: its references are signed at build like any other; nothing in the
// browser signs.
const photos = {
  small: 'imageboss:/ny/subway.jpg?w=320',
  large: 'imageboss:/ny/subway.jpg?w=960'
}

export default function Gallery() {
  const [size, setSize] = useState<keyof typeof photos>('small')
  return (
    <figure>
      <img id="gallery-photo" src={photos[size]} alt="Subway" />
      <button type="button" onClick={() => setSize(size === 'small' ? 'large' : 'small')}>
        Show the {size === 'small' ? 'large' : 'small'} photo
      </button>
    </figure>
  )
}
