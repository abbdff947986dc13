// Agent text for display: the one neutraliser the terminal uses (src/core/common/terminal-text.ts),
// re-exported so the renderer — which may import only src/shared — shows control, bidi and
// zero-width characters visibly escaped exactly as the owner's terminal does. The module is pure
// (no Node built-ins), so it runs in the sandboxed renderer too.
export { neutraliseLine, neutraliseText } from '../core/common/terminal-text.js';
