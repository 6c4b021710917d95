/**
 * log P(X >= k) for X ~ Poisson(lambda), summed from k upward in log space so
 * tiny tails (1e-9 and below, which alert rules compare against) keep their
 * precision where 1 - CDF would round to zero.
 */
export function logPoissonTail(k: number, lambda: number): number {
  if (k <= 0) return 0;
  if (lambda <= 0) return -Infinity;
  let logTerm = -lambda + k * Math.log(lambda) - logFactorial(k);
  let logSum = logTerm;
  for (let i = k + 1; i < k + 1000; i++) {
    logTerm += Math.log(lambda / i);
    const next = logSum + Math.log1p(Math.exp(logTerm - logSum));
    if (next - logSum < 1e-12) break;
    logSum = next;
  }
  return Math.min(0, logSum);
}

const LOG_FACT: number[] = [0];
function logFactorial(n: number): number {
  for (let i = LOG_FACT.length; i <= n; i++) LOG_FACT[i] = LOG_FACT[i - 1]! + Math.log(i);
  return LOG_FACT[n]!;
}

/**
 * log P(X >= k) for X ~ Binomial(n, p), summed in log space like the Poisson
 * tail. The young spike rule's test: of n events at one steady rate, how
 * likely k or more fall in a share p of the time.
 */
export function logBinomialTail(k: number, n: number, p: number): number {
  if (k <= 0) return 0;
  if (k > n || p <= 0) return -Infinity;
  if (p >= 1) return 0;
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  let logSum = -Infinity;
  for (let i = k; i <= n; i++) {
    const logTerm = logFactorial(n) - logFactorial(i) - logFactorial(n - i) + i * lp + (n - i) * lq;
    if (logSum !== -Infinity && logTerm - logSum < -30) break; // terms only shrink past the mode (k is above it when it matters)
    logSum = logSum === -Infinity ? logTerm : Math.max(logSum, logTerm) + Math.log1p(Math.exp(-Math.abs(logSum - logTerm)));
  }
  return Math.min(0, logSum);
}
