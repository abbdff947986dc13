// The sockets a running server opens in the vault directory, in a module of their own so a
// client can find them without loading the server (and its OPAQUE WebAssembly).
export const AGENT_SOCKET = 'agent.sock';
export const OWNER_SOCKET = 'owner.sock';
