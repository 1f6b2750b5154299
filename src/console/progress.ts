/**
 * Progress of a long load, on stderr: a bar redrawn in place on a terminal, a plain line at every
 * quarter otherwise (logs, pipes). Small corpora (under `from` files) show nothing.
 */
export function progressReporter(stream: NodeJS.WriteStream, label: string, from = 100): (done: number, total: number) => void {
  let lastShown = -1;
  return (done, total) => {
    if (total < from) return;
    const share = done / total;
    if (stream.isTTY) {
      const percent = Math.floor(share * 100);
      if (percent === lastShown) return;
      lastShown = percent;
      const width = 30;
      const filled = Math.round(share * width);
      stream.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}${done === total ? '\n' : ''}`);
    } else {
      const quarter = Math.floor(share * 4);
      if (quarter === lastShown) return;
      lastShown = quarter;
      stream.write(`${label}: ${done}/${total} (${quarter * 25}%)\n`);
    }
  };
}
