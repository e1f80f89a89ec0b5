/** Waits until the gpsim at `base` answers /__sim/health (benchmarks start it as a child process). */
export async function waitForHealth(base) {
  for (let attempt = 0; attempt < 400; attempt++) {
    try {
      if ((await fetch(`${base}/__sim/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('bench: gpsim did not start');
}
