// Moved to src/core/common/terminal-text.ts (the pure layer src/shared may import). This
// re-export keeps the existing importers compiling while their files are being rewritten;
// new code imports from core/common directly.
export * from '../common/terminal-text.js';
