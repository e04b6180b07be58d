/** Durations as people write them in config files and flags: `90s`, `5m`, `1h30m`, `24h`, `7d`, or seconds. */
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** Seconds for a duration string or number of seconds; undefined when it does not parse. */
export function parseDurationSeconds(input: string | number): number | undefined {
  if (typeof input === 'number') {
    return Number.isFinite(input) && input >= 0 ? input : undefined;
  }
  const s = input.trim();
  if (/^\d+(\.\d+)?$/.test(s)) {
    return Number(s);
  }
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d|w))+$/.test(s)) {
    return undefined;
  }
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)) {
    total += Number(m[1]) * UNIT_SECONDS[m[2]];
  }
  return total;
}

/** Compact form for config files: 300 → `5m`, 5400 → `1h30m`, 0.5 → `500ms`. */
export function formatDuration(seconds: number): string {
  if (seconds > 0 && seconds < 1) {
    return `${Math.round(seconds * 1000)}ms`;
  }
  let rest = Math.round(seconds);
  if (rest === 0) {
    return '0s';
  }
  let out = '';
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out;
}

/** For messages: `3 h 2 m`, `45 s`, `2 d 4 h`: the largest unit and the next one when non-zero. */
export function humanAge(seconds: number): string {
  const s = Math.max(0, Math.round(Math.abs(seconds)));
  // Called for every cell of a report: plain arithmetic, no arrays.
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) {
    return h > 0 ? `${d} d ${h} h` : `${d} d`;
  }
  if (h > 0) {
    return m > 0 ? `${h} h ${m} m` : `${h} h`;
  }
  if (m > 0) {
    return sec > 0 ? `${m} m ${sec} s` : `${m} m`;
  }
  return `${sec} s`;
}
