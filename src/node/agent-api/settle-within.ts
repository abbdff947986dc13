// A long poll's wait: until the job settles or the caller's timeout passes, whichever is first,
// without leaving a timer behind (a recall's and a command use's request.wait share it).
export async function settleWithin(done: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([done, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
  if (timer) clearTimeout(timer);
}
