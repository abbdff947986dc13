// The stable error code a promise settles with ('OK' when it resolves): tests assert codes, not messages.
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (e) {
    return typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : `THREW ${String(e)}`;
  }
}
