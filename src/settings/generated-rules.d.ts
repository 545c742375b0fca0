// Lets the type check pass before the build has generated src/generated/rules.json (the file wins when present).
declare module "*/generated/rules.json" {
  const bundle: unknown
  export default bundle
}

// Plasmo's asset URL imports (popup/options use the extension icon).
declare module "url:*" {
  const url: string
  export default url
}
