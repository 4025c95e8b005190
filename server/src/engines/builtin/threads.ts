// Thread count for llama.cpp. node-llama-cpp's default caps at twice the math cores, which on a
// 2-core machine runs 4 threads that fight each other (and the HTTP loop) for 2 cores. llama.cpp
// is fastest with one thread per core; on larger machines leave one core for the event loop so
// streaming and health checks stay responsive under load.
export function defaultThreads(cpuCount: number): number {
  const cores = Number.isFinite(cpuCount) ? Math.floor(cpuCount) : 1;
  if (cores <= 1) return 1;
  if (cores <= 4) return cores;
  return cores - 1;
}

export function resolveThreads(requested: number | undefined, cpuCount: number): number {
  return requested ?? defaultThreads(cpuCount);
}
