import type { Vector } from './features';

export interface LogisticFit {
  intercept: number;
  /** One weight per property rule, then one per signal. */
  weights: Float64Array;
  iterations: number;
  converged: boolean;
}

/**
 * L2-regularised logistic regression by Newton's method (iteratively reweighted least
 * squares): rows are sparse 0/1 rule features plus a few dense signal counts, so each
 * iteration is one pass to build the gradient and Hessian, then one Cholesky solve.
 * The intercept is not penalised.
 */
export function fitLogistic(
  rows: readonly Vector[],
  labels: ArrayLike<number>,
  nProperties: number,
  options: {
    lambda: number;
    maxIterations?: number;
    tolerance?: number;
    /** A starting point (a fit of similar data): Newton then needs fewer steps. */
    initial?: { intercept: number; weights: ArrayLike<number> };
  },
): LogisticFit {
  const nSignals = rows[0]?.signals.length ?? 0;
  const p = 1 + nProperties + nSignals; // 0 is the intercept
  let w = new Float64Array(p);
  // Start from the base rate: the intercept then has little left to travel.
  let positives = 0;
  for (let r = 0; r < rows.length; r++) positives += labels[r]!;
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, positives / Math.max(1, rows.length)));
  w[0] = Math.log(rate / (1 - rate));
  if (options.initial) {
    w[0] = options.initial.intercept;
    for (let i = 1; i < p; i++) w[i] = options.initial.weights[i - 1] ?? 0;
  }
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = options.tolerance ?? 1e-4;
  const grad = new Float64Array(p);
  const hess = new Float64Array(p * p);
  const idx = new Int32Array(p);
  const val = new Float64Array(p);
  let iterations = 0;
  let converged = false;

  /** The row's non-zero features into idx/val; returns how many. */
  const load = (row: Vector): number => {
    let k = 0;
    idx[k] = 0;
    val[k++] = 1;
    for (const a of row.active) {
      idx[k] = 1 + a;
      val[k++] = 1;
    }
    for (let s = 0; s < nSignals; s++) {
      const x = row.signals[s]!;
      if (x !== 0) {
        idx[k] = 1 + nProperties + s;
        val[k++] = x;
      }
    }
    return k;
  };
  /** The penalised negative log-likelihood at `at` (what each step must lower). */
  const loss = (at: Float64Array): number => {
    let sum = 0;
    for (let r = 0; r < rows.length; r++) {
      const k = load(rows[r]!);
      let z = 0;
      for (let i = 0; i < k; i++) z += at[idx[i]!]! * val[i]!;
      // log(1 + e^z) - y z, computed without overflow
      sum += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - labels[r]! * z;
    }
    let penalty = 0;
    for (let i = 1; i < p; i++) penalty += at[i]! * at[i]!;
    return sum + 0.5 * options.lambda * penalty;
  };

  let current = loss(w);
  for (; iterations < maxIterations && !converged; iterations++) {
    grad.fill(0);
    hess.fill(0);
    for (let r = 0; r < rows.length; r++) {
      const k = load(rows[r]!);
      let z = 0;
      for (let i = 0; i < k; i++) z += w[idx[i]!]! * val[i]!;
      const prob = 1 / (1 + Math.exp(-z));
      const residual = prob - labels[r]!;
      const weight = Math.max(prob * (1 - prob), 1e-9);
      for (let i = 0; i < k; i++) {
        const ii = idx[i]!;
        const vi = val[i]!;
        grad[ii]! += residual * vi;
        const row_ = ii * p;
        const wv = weight * vi;
        for (let j = 0; j <= i; j++) hess[row_ + idx[j]!]! += wv * val[j]!;
      }
    }
    // Penalty (not on the intercept), and the upper triangle from the lower.
    for (let i = 1; i < p; i++) {
      grad[i]! += options.lambda * w[i]!;
      hess[i * p + i]! += options.lambda;
    }
    hess[0]! += 1e-9;
    for (let i = 0; i < p; i++)
      for (let j = 0; j < i; j++) {
        // Entries were added at [max][min] of the two indices' order in the row; fold both.
        const a = hess[i * p + j]! + hess[j * p + i]!;
        hess[i * p + j] = a;
        hess[j * p + i] = a;
      }
    const step = choleskySolve(hess, grad, p);
    // Step control: halve the Newton step until the loss goes down (Armijo), so a fit started
    // far from the optimum (or on nearly separable data) cannot run away.
    let slope = 0;
    for (let i = 0; i < p; i++) slope += grad[i]! * step[i]!;
    let t = 1;
    let next = new Float64Array(p);
    let nextLoss = Infinity;
    for (let halvings = 0; halvings < 30; halvings++, t /= 2) {
      for (let i = 0; i < p; i++) next[i] = w[i]! - t * step[i]!;
      nextLoss = loss(next);
      if (nextLoss <= current - 1e-4 * t * slope) break;
    }
    if (!(nextLoss <= current)) {
      // No step lowers the loss: the current weights are as good as this data allows.
      converged = slope < tolerance * rows.length;
      break;
    }
    let change = 0;
    for (let i = 0; i < p; i++) change = Math.max(change, Math.abs(t * step[i]!));
    [w, next] = [next, w];
    const improved = current - nextLoss;
    current = nextLoss;
    converged = change < tolerance || improved < 1e-10 * Math.max(1, Math.abs(current));
  }
  return { intercept: w[0]!, weights: w.slice(1), iterations, converged };
}

/** Solves A x = b for a symmetric positive-definite A (row-major, n × n); A is overwritten. */
function choleskySolve(a: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= a[j * n + k]! ** 2;
    const djj = Math.sqrt(Math.max(d, 1e-12));
    a[j * n + j] = djj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= a[i * n + k]! * a[j * n + k]!;
      a[i * n + j] = s / djj;
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= a[i * n + k]! * y[k]!;
    y[i] = s / a[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= a[k * n + i]! * x[k]!;
    x[i] = s / a[i * n + i]!;
  }
  return x;
}
