// Markdown files under src/ are bundled as their source text (see webpack.config.ts and jest/markdown-transform.js).
declare module '*.md' {
  const content: string;
  export default content;
}
