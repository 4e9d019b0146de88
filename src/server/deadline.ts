/**
 * `work`'s result, or `late` when it takes longer than `ms` (the work is not cancelled: its
 * result, or failure, is then ignored by the caller's answer). The timer never outlives it.
 */
export async function withinDeadline<T, L>(work: Promise<T>, ms: number, late: L): Promise<T | L> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<L>((resolve) => {
    timer = setTimeout(() => resolve(late), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
