/// <reference types="vite/client" />
/// <reference types="imageboss-build/client" />
