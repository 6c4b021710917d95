/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Base URL of the API when the app is served from elsewhere; same origin by default. */
  readonly VITE_API_BASE?: string;
}
interface ImportMeta {
  readonly env: ImportMetaEnv;
}
