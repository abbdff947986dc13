// Moved to src/core/common/well-formed.ts (the pure layer src/shared may import). This
// re-export keeps the existing importers compiling while their files are being rewritten;
// new code imports from core/common directly.
export * from '../common/well-formed.js';
