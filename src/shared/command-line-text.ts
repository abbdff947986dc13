// A command line for display (the approval dialog's "to run"), re-exported from core/common so
// the renderer quotes argument boundaries exactly as the owner's terminal does. Pure module.
export { commandLineText } from '../core/common/command-line-text.js';
