/**
 * A next step as one line: "Requested a demo: +30, reaches MQL". The model gives the text, the
 * points and the status it reaches apart; this is the one place they are put together (the
 * card and the offline scorer both read it).
 */
export function nextStepLine(step: {
  text: string;
  points: number | null;
  reaches: 'mql' | 'ready' | 'sql' | null;
}): string {
  const gain = step.points === null ? '' : `: +${step.points}`;
  const goal =
    step.reaches === null
      ? ''
      : step.reaches === 'ready'
        ? ', makes it ready for sales'
        : `, reaches ${step.reaches.toUpperCase()}`;
  return `${step.text}${gain}${goal}`;
}
