/**
 * Exact powers of ten up to 10^15: every one is an integer below 2^53, so a double holds it
 * exactly.
 */
const POWERS_OF_TEN = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
/** Digits whose integer is certainly below 2^53 (10^15 < 2^53 ≈ 9.007e15). */
const MAX_DIGITS = 15;

/**
 * A short plain decimal (`[+-]digits[.digits]`, at most 15 digits in all: an epoch, a step, a
 * learning rate like `0.001`) read without `Number()`, which costs a runtime call per cell; the
 * result is bit for bit what `Number(text)` gives. Why it is exact: the digits form an integer
 * m < 10^15 < 2^53 and 10^f (f ≤ 15) is exact too, so m / 10^f is one IEEE division of exact
 * operands, rounded once to nearest-even, which is what `Number` returns for the decimal m·10^-f
 * (Clinger's fast path: W. D. Clinger, "How to Read Floating Point Numbers Accurately", PLDI 1990).
 * Negation is exact and rounding to nearest is symmetric, so signs (and `-0`) come out alike.
 * Returns undefined for anything else (more digits, an exponent, spaces, `nan`): the caller then
 * uses `Number`.
 */
export function plainDecimal(text: string): number | undefined {
  const length = text.length;
  // Longer cannot be 15 digits with a sign and a point: most float cells (17 digits) stop here.
  if (length > MAX_DIGITS + 2) return undefined;
  let at = 0;
  let negative = false;
  const first = text.charCodeAt(0);
  if (first === 45 || first === 43) {
    negative = first === 45;
    at = 1;
  }
  let mantissa = 0;
  let digits = 0;
  let fraction = -1; // digits after the point; -1: no point yet
  for (; at < length; at++) {
    const code = text.charCodeAt(at);
    if (code >= 48 && code <= 57) {
      if (++digits > MAX_DIGITS) return undefined;
      mantissa = mantissa * 10 + (code - 48);
      if (fraction >= 0) fraction++;
    } else if (code === 46 && fraction < 0) fraction = 0;
    else return undefined;
  }
  if (digits === 0) return undefined; // "", "-", "."
  const value = fraction > 0 ? mantissa / POWERS_OF_TEN[fraction] : mantissa;
  return negative ? -value : value;
}
