/** The footer's clock and the countdown to the end of the budget period (the end of the month). */

export function endOfMonth(now) {
  return new Date(now.getFullYear(), now.getMonth() + 1, 1);
}

export function timeLeft(now, end) {
  const seconds = Math.floor(Math.max(0, end - now) / 1000);
  return {
    days: Math.floor(seconds / 86400),
    hours: Math.floor(seconds / 3600) % 24,
    minutes: Math.floor(seconds / 60) % 60,
    seconds: seconds % 60,
  };
}

const twoDigits = (n) => String(n).padStart(2, "0");

export function formatTimeLeft(left) {
  return `${left.days}d ${twoDigits(left.hours)}:${twoDigits(left.minutes)}:${twoDigits(left.seconds)}`;
}

export function formatClock(date) {
  return `${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}:${twoDigits(date.getSeconds())}`;
}

/** Calls `onTick` now and then every second; returns the interval's id. */
export function startTicker(onTick, intervalMs = 1000) {
  onTick(new Date());
  return setInterval(() => onTick(new Date()), intervalMs);
}
